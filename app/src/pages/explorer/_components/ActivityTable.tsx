/** Events as rows: when, what, which entities, amounts, parties and the transaction. */
import type { ExplorerEntry } from "@modelbazaar/sdk/explorer";
import { DataTable } from "../../../components/DataTable.tsx";
import { Amounts } from "./Amounts.tsx";
import { EventName } from "./EntryDetails.tsx";
import { blockTime, EntityLink, TxLink } from "./links.tsx";
import { Parties } from "./Parties.tsx";

export function ActivityTable({ entries }: { entries: readonly ExplorerEntry[] }) {
  return (
    <DataTable
      header={["block", "event", "about", "amounts", "parties", "transaction"]}
      rowTestId="activity"
      rowKey={(i) => `${entries[i]!.transactionHash}:${entries[i]!.logIndex}`}
      rows={entries.map((entry) => [
        <span title={blockTime(entry.timestamp)}>{String(entry.blockNumber)}</span>,
        <EventName entry={entry} />,
        <span className="flex flex-wrap gap-x-2">
          {entry.entities.map((ref) => (
            <EntityLink key={`${ref.kind}/${ref.id}`} entity={ref} />
          ))}
        </span>,
        <Amounts entry={entry} />,
        <Parties entry={entry} />,
        <TxLink hash={entry.transactionHash} />,
      ])}
    />
  );
}
