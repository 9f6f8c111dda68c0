/**
 * One entity's history, oldest first: each event with its time, block, transaction, amounts
 * in ETH, parties and every decoded argument.
 */
import type { ExplorerEntry } from "@modelbazaar/sdk/explorer";
import { Amounts } from "./Amounts.tsx";
import { EntryArguments, EventName } from "./EntryDetails.tsx";
import { blockTime, EntityLink, TxLink } from "./links.tsx";
import { Parties } from "./Parties.tsx";

export function Timeline({ entries }: { entries: readonly ExplorerEntry[] }) {
  return (
    <ol className="relative space-y-4 border-l-2 border-base-300 pl-5" aria-label="Timeline">
      {entries.map((entry) => (
        <li key={`${entry.transactionHash}:${entry.logIndex}`} className="relative" data-testid="timeline-entry">
          <span className="absolute top-2 -left-[1.65rem] size-3 rounded-full bg-primary" aria-hidden="true" />
          <article className="card card-border bg-base-100">
            <div className="card-body gap-3 p-4">
              <header className="flex flex-wrap items-baseline justify-between gap-2">
                <h3 className="text-base">
                  <EventName entry={entry} />
                </h3>
                <span className="text-xs text-base-content/70">
                  {blockTime(entry.timestamp)} · block {String(entry.blockNumber)} · <TxLink hash={entry.transactionHash} />
                </span>
              </header>
              <div className="grid gap-3 sm:grid-cols-2">
                <Amounts entry={entry} />
                <Parties entry={entry} />
              </div>
              {entry.entities.length > 1 ? (
                <p className="flex flex-wrap gap-x-2 text-sm">
                  <span className="text-base-content/70">names</span>
                  {entry.entities.map((ref) => (
                    <EntityLink key={`${ref.kind}/${ref.id}`} entity={ref} />
                  ))}
                </p>
              ) : null}
              <details className="text-sm">
                <summary className="cursor-pointer text-base-content/70">All arguments</summary>
                <div className="mt-2">
                  <EntryArguments entry={entry} />
                </div>
              </details>
            </div>
          </article>
        </li>
      ))}
    </ol>
  );
}
