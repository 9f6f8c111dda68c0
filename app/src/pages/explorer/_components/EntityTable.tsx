/** Entities as rows: the entity, its listing, its latest event and when, how many events, its parties. */
import type { EntityTimeline } from "@modelbazaar/sdk/explorer";
import { DataTable } from "../../../components/DataTable.tsx";
import { EventName } from "./EntryDetails.tsx";
import { blockTime, EntityLink, PartyLink } from "./links.tsx";

export function EntityTable({ timelines }: { timelines: readonly EntityTimeline[] }) {
  return (
    <DataTable
      header={["entity", "listing", "latest event", "when", "events", "parties"]}
      rowTestId="entity"
      rowKey={(i) => `${timelines[i]!.kind}/${timelines[i]!.id}`}
      rows={timelines.map((t) => {
        const last = t.entries.at(-1)!;
        return [
          <EntityLink entity={t} />,
          t.listingId !== undefined && t.kind !== "listing" ? <EntityLink entity={{ kind: "listing", id: t.listingId }} /> : "-",
          <EventName entry={last} />,
          <span className="whitespace-nowrap">{blockTime(last.timestamp)}</span>,
          t.entries.length,
          <span className="flex flex-wrap gap-x-2">
            {t.parties.slice(0, 4).map((address) => (
              <PartyLink key={address} address={address} />
            ))}
            {t.parties.length > 4 ? <span className="text-base-content/70">+{t.parties.length - 4}</span> : null}
          </span>,
        ];
      })}
    />
  );
}
