/** One entity's page (#/explorer/<kind>/<id>): its status now (as `bazaar status` words it), what it belongs to, what it relates to, its parties, then its timeline. */
import { entityKey, type EntityKind } from "@modelbazaar/sdk/explorer";
import { PageHeader } from "../../components/PageHeader.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { EmptyState, ErrorState, LoadingState } from "../../components/States.tsx";
import { useEntityStatus } from "../../hooks/useEntityStatus.ts";
import { useExplorer } from "../../hooks/useExplorer.ts";
import { detailPageOf, EntityLink, KIND_LABELS, PartyLink } from "./_components/links.tsx";
import { Timeline } from "./_components/Timeline.tsx";

export function EntityView({ kind, id }: { kind: EntityKind; id: bigint }) {
  const { data: index, error, isLoading } = useExplorer();
  const timeline = index?.timelines.get(entityKey({ kind, id }));
  const { data: status } = useEntityStatus(kind, id);
  const title = `${KIND_LABELS[kind]} #${id}`;
  const detailPage = detailPageOf({ kind, id });
  return (
    <main>
      <PageHeader title={title}>
        <p>
          <a className="link" href={`#/explorer/${kind}`}>
            All {KIND_LABELS[kind].toLowerCase()}s
          </a>
          {kind === "dispute" ? " · a test-drive refunded by a proof that the model underperformed its claim" : null}
          {detailPage ? (
            <>
              {" · "}
              <a className="link" href={detailPage.href} data-testid="entity-detail-page">
                {detailPage.label}
              </a>
            </>
          ) : null}
        </p>
      </PageHeader>
      {error ? <ErrorState title="Cannot read the market's events" error={error} /> : null}
      {isLoading ? <LoadingState>Reading the market's events…</LoadingState> : null}
      {index && !timeline ? (
        <EmptyState title={`No ${title} on chain yet`}>
          <p>No event names it up to block {String(index.toBlock)}; this page updates as blocks arrive.</p>
        </EmptyState>
      ) : null}
      {timeline ? (
        <>
          <dl className="mb-6 grid gap-x-4 gap-y-2 text-sm sm:grid-cols-[auto_1fr]">
            {status ? (
              <>
                <dt className="text-base-content/70">{kind === "dispute" ? "test-drive" : "status"}</dt>
                <dd>
                  <StatusBadge enumName={status.enumName} code={status.code} />
                </dd>
              </>
            ) : null}
            {timeline.listingId !== undefined && kind !== "listing" ? (
              <>
                <dt className="text-base-content/70">listing</dt>
                <dd>
                  <EntityLink entity={{ kind: "listing", id: timeline.listingId }} />
                </dd>
              </>
            ) : null}
            {timeline.related.length > 0 ? (
              <>
                <dt className="text-base-content/70">related</dt>
                <dd className="flex flex-wrap gap-x-3">
                  {timeline.related.map((ref) => (
                    <EntityLink key={entityKey(ref)} entity={ref} />
                  ))}
                </dd>
              </>
            ) : null}
            <dt className="text-base-content/70">parties</dt>
            <dd className="flex flex-wrap gap-x-3">
              {timeline.parties.map((address) => (
                <PartyLink key={address} address={address} />
              ))}
            </dd>
          </dl>
          <h2 className="mb-3 text-xl font-semibold">Timeline ({timeline.entries.length} events)</h2>
          <Timeline entries={timeline.entries} />
        </>
      ) : null}
    </main>
  );
}
