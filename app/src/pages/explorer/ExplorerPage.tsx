/**
 * The explorer (#/explorer): every listing, test-drive, dispute, auction and purchase rebuilt
 * from the chain's events in this browser, following new blocks. `#/explorer` shows recent
 * activity and every entity; `#/explorer/<kind>` one kind; `#/explorer/<kind>/<id>` one
 * entity's timeline (EntityView).
 */
import { ENTITY_KINDS, timelinesOfKind, type EntityKind } from "@modelbazaar/sdk/explorer";
import { PageHeader } from "../../components/PageHeader.tsx";
import { EmptyState, ErrorState, LoadingState } from "../../components/States.tsx";
import { useExplorer } from "../../hooks/useExplorer.ts";
import { useHashRoute } from "../../hooks/useHashRoute.ts";
import { chain } from "../../marketConfig.ts";
import { ActivityTable } from "./_components/ActivityTable.tsx";
import { EntityTable } from "./_components/EntityTable.tsx";
import { GoTo } from "./_components/GoTo.tsx";
import { KindFilter } from "./_components/KindFilter.tsx";
import { KIND_PLURALS } from "./_components/links.tsx";
import { EntityView } from "./EntityView.tsx";

const RECENT = 25;

export function ExplorerPage() {
  const [, , kindPart, idPart] = useHashRoute().split("/");
  const kind = ENTITY_KINDS.find((k) => k === kindPart);
  if (kindPart !== undefined && kind === undefined) return <NotFound what={`#/explorer/${kindPart}`} />;
  if (kind && idPart !== undefined) {
    if (!/^\d+$/.test(idPart)) return <NotFound what={`${kind} "${idPart}"`} />;
    return <EntityView kind={kind} id={BigInt(idPart)} />;
  }
  return <Overview kind={kind} />;
}

function NotFound({ what }: { what: string }) {
  return (
    <main>
      <EmptyState title="Nothing here">
        <p>
          The explorer knows no {what}. <a className="link" href="#/explorer">Back to the explorer</a>
        </p>
      </EmptyState>
    </main>
  );
}

function Overview({ kind }: { kind: EntityKind | undefined }) {
  const { data: index, error, isLoading } = useExplorer();
  const counts = Object.fromEntries(ENTITY_KINDS.map((k) => [k, 0])) as Record<EntityKind, number>;
  for (const t of index?.timelines.values() ?? []) counts[t.kind] += 1;
  const timelines = index ? timelinesOfKind(index.timelines, kind) : [];
  const recent = index ? index.entries.slice(-RECENT).reverse() : [];
  return (
    <main>
      <PageHeader title={kind ? KIND_PLURALS[kind] : "Explorer"}>
        <p>
          Every trade rebuilt from {chain.name}'s events in your browser
          {index ? (
            <>
              {" "}
              · blocks {String(index.fromBlock)}..<span data-testid="explorer-block">{String(index.toBlock)}</span> · {index.entries.length} events
            </>
          ) : null}
        </p>
      </PageHeader>
      <GoTo />
      {error ? <ErrorState title="Cannot read the market's events" error={error} /> : null}
      {isLoading ? <LoadingState>Reading the market's events…</LoadingState> : null}
      {index ? (
        <>
          <KindFilter current={kind} counts={counts} />
          {kind === undefined ? (
            <section aria-labelledby="recent-activity" className="mb-8">
              <h2 id="recent-activity" className="mb-3 text-xl font-semibold">
                Recent activity
              </h2>
              {recent.length > 0 ? <ActivityTable entries={recent} /> : <EmptyState title="No activity yet" />}
            </section>
          ) : null}
          <section aria-labelledby="entities">
            <h2 id="entities" className="mb-3 text-xl font-semibold">
              {kind ? KIND_PLURALS[kind] : "Everything"} ({timelines.length})
            </h2>
            {timelines.length > 0 ? <EntityTable timelines={timelines} /> : <EmptyState title={`No ${kind ? KIND_PLURALS[kind].toLowerCase() : "entities"} yet`} />}
          </section>
        </>
      ) : null}
    </main>
  );
}
