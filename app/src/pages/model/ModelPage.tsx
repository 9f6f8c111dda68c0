/**
 * One listing's page (#/model/<id>): the model card, the claim, the price or auction and the
 * test policy, the seller's history from the chain, and the test-drive: what it costs, then
 * the buyer's own CSV checked, encrypted, evaluated, decrypted and scored against the claim,
 * with a refund by proof when the model fell short. This page loads node-seal and snarkjs only
 * when it encrypts or proves (Web Workers), so the listings page stays small.
 */
import { Address } from "../../components/Address.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { EmptyState, ErrorState, LoadingState } from "../../components/States.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { modelName } from "../../format.ts";
import { useHashRoute } from "../../hooks/useHashRoute.ts";
import { useListing } from "../../hooks/useListing.ts";
import { useListingCard } from "../../hooks/useListingCard.ts";
import { useServedListing } from "../../hooks/useServedListing.ts";
import { useRecordBrowse } from "../../recommend/useRecordBrowse.ts";
import { ModelCardPanel } from "./_components/ModelCardPanel.tsx";
import { SellerHistoryPanel } from "./_components/SellerHistoryPanel.tsx";
import { TermsPanel } from "./_components/TermsPanel.tsx";
import { TestDrivePanel } from "./_components/TestDrivePanel.tsx";
import { ListingAuctionsPanel } from "../auction/ListingAuctionsPanel.tsx";

/** The listing's status code for "active" (IModelRegistry.ListingStatus). */
const ACTIVE = 1;

export function ModelPage() {
  const text = useHashRoute().split("/")[2] ?? "";
  if (!/^[1-9]\d{0,18}$/.test(text)) {
    return (
      <main>
        <EmptyState title="Not a listing">
          <p>
            "{text}" is not a listing id. <a className="link" href="#/">Back to the listings</a>
          </p>
        </EmptyState>
      </main>
    );
  }
  return <Model listingId={BigInt(text)} />;
}

function Model({ listingId }: { listingId: bigint }) {
  const { data: listing, error, isLoading } = useListing(listingId);
  const { data: card } = useListingCard(listing?.offer);
  const served = useServedListing(listingId, listing?.offer);
  useRecordBrowse(listingId);
  if (error) {
    return (
      <main>
        <ErrorState title={`Cannot show listing #${listingId}`} error={error} />
      </main>
    );
  }
  if (isLoading || !listing) {
    return (
      <main>
        <LoadingState>Reading listing #{String(listingId)}…</LoadingState>
      </main>
    );
  }
  return (
    <main>
      <PageHeader title={card?.name ?? modelName(listing.offer.metadataURI)} actions={<a className="btn btn-ghost btn-sm" href="#/">All listings</a>}>
        <p className="flex flex-wrap items-center gap-2">
          Listing #{String(listingId)} <StatusBadge enumName="ListingStatus" code={listing.status} /> · seller <Address address={listing.seller} /> ·{" "}
          <a className="link" href={`#/explorer/listing/${listingId}`}>
            timeline
          </a>
        </p>
      </PageHeader>
      <div className="grid gap-4 lg:grid-cols-3">
        <ModelCardPanel card={card} task={listing.terms.task} modelSize={listing.terms.modelSize} />
        <TermsPanel listingId={listingId} terms={listing.terms} offer={listing.offer} />
        <SellerHistoryPanel seller={listing.seller} />
        {listing.offer.saleMode !== 0 ? <ListingAuctionsPanel listingId={listingId} seller={listing.seller} active={listing.status === ACTIVE} /> : null}
        <TestDrivePanel
          listingId={listingId}
          active={listing.status === ACTIVE}
          task={listing.terms.task}
          terms={listing.terms}
          workerEndpoint={listing.offer.workerEndpoint}
          card={card}
          served={served.data}
          servedError={served.error}
        />
      </div>
    </main>
  );
}
