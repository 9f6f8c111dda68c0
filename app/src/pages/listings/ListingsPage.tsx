/** The marketplace's front page: recommendations ranked in this browser, then the listings read from the chain, promoted first, with search and filters. */
import { useState } from "react";
import { listingTasks, searchListings, type ListingFilter } from "@modelbazaar/sdk/listings";
import { Address } from "../../components/Address.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { EmptyState, ErrorState, LoadingState } from "../../components/States.tsx";
import { modelName } from "../../format.ts";
import { useListings } from "../../hooks/useListings.ts";
import { chain, market } from "../../marketConfig.ts";
import { ListingFilters } from "./_components/ListingFilters.tsx";
import { ListingTable } from "./_components/ListingTable.tsx";
import { Recommendations } from "./_components/Recommendations.tsx";

export function ListingsPage() {
  const { listings, isLoading, error } = useListings();
  const [filter, setFilter] = useState<ListingFilter>({});
  const found = searchListings(listings, filter, (listing) => modelName(listing.offer.metadataURI));
  return (
    <main>
      <PageHeader title="Listings">
        <p>
          Models you can test-drive on your own data before buying. {chain.name} · registry <Address address={market.deployment.registry} />
        </p>
      </PageHeader>
      {error ? <ErrorState title="Cannot read the registry" error={error} /> : null}
      {listings.length > 0 ? <Recommendations listings={listings} /> : null}
      {listings.length > 0 ? <ListingFilters filter={filter} onChange={setFilter} tasks={listingTasks(listings)} /> : null}
      {isLoading ? <LoadingState>Loading listings…</LoadingState> : found.length > 0 ? <ListingTable listings={found} /> : null}
      {!isLoading && !error && listings.length === 0 ? <EmptyState title="No listings yet">A seller lists a model with `bazaar list` or the seller pages.</EmptyState> : null}
      {!isLoading && listings.length > 0 && found.length === 0 ? (
        <EmptyState title="No listing matches">
          None of the {listings.length} listings passes these filters. Clear a filter to see more.
        </EmptyState>
      ) : null}
    </main>
  );
}
