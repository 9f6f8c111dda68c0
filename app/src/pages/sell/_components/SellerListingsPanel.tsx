/**
 * The seller's listings: each one's status, price, test-drives served (of those opened), sales
 * and disputes (the SDK's listingRecords over the explorer's events, as a buyer's model page
 * counts them), its worker's status, and the registry's pause, resume, reprice and delist.
 */
import type { Address } from "viem";
import { listingRecords } from "@modelbazaar/sdk/explorer";
import { DataTable } from "../../../components/DataTable.tsx";
import { EmptyState, ErrorState, LoadingState } from "../../../components/States.tsx";
import { StatusBadge } from "../../../components/StatusBadge.tsx";
import { ether, modelName } from "../../../format.ts";
import { useExplorer } from "../../../hooks/useExplorer.ts";
import { useSellerListings } from "../../../hooks/useSellerListings.ts";
import { Panel } from "../../../components/Panel.tsx";
import { ListingActions } from "./ListingActions.tsx";
import { WorkerStatus } from "./WorkerStatus.tsx";

export function SellerListingsPanel({ seller }: { seller: Address }) {
  const { data: entries, error, isLoading } = useSellerListings(seller);
  const { data: index } = useExplorer();
  const records = index ? listingRecords(index, seller) : undefined;
  return (
    <Panel id="seller-listings" title="Your listings" className="lg:col-span-3">
      {error ? <ErrorState title="Cannot read your listings" error={error} /> : null}
      {isLoading ? <LoadingState>Reading your listings…</LoadingState> : null}
      {entries && entries.length === 0 ? <EmptyState title="No listings yet">List a model with the form on this page.</EmptyState> : null}
      {entries && entries.length > 0 ? (
        <DataTable
          header={["Listing", "Status", "Price", "Test-drives served", "Sales", "Disputes", "Worker", "Manage"]}
          rowTestId="seller-listing"
          rowKey={(i) => String(entries[i]!.listingId)}
          rows={entries.map(({ listingId, listing }) => {
            const record = records?.get(listingId);
            return [
              <a className="link font-semibold" href={`#/model/${listingId}`} data-testid="seller-listing-id">
                #{String(listingId)} {modelName(listing.offer.metadataURI)}
              </a>,
              <StatusBadge enumName="ListingStatus" code={listing.status} />,
              <span data-testid="seller-listing-price">{listing.offer.saleMode === 0 ? ether(listing.offer.price) : "auction"}</span>,
              record ? <span data-testid="seller-listing-served">{`${record.served} of ${record.testDrives}`}</span> : "…",
              record ? String(record.sales) : "…",
              record ? (record.disputes === 0 ? "none" : `${record.disputes} (${record.disputesLost} lost, ${record.disputesWon} won)`) : "…",
              <WorkerStatus listingId={listingId} offer={listing.offer} />,
              <ListingActions listingId={listingId} listing={listing} seller={seller} />,
            ];
          })}
        />
      ) : null}
    </Panel>
  );
}
