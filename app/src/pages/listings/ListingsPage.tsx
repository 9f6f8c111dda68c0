/** The marketplace's front page: every listing read from the chain. */
import { Address } from "../../components/Address.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { EmptyState, ErrorState, LoadingState } from "../../components/States.tsx";
import { useListings } from "../../hooks/useListings.ts";
import { chain, market } from "../../marketConfig.ts";
import { ListingTable } from "./_components/ListingTable.tsx";

export function ListingsPage() {
  const { listings, isLoading, error } = useListings();
  return (
    <main>
      <PageHeader title="Listings">
        <p>
          Models you can test-drive on your own data before buying. {chain.name} · registry <Address address={market.deployment.registry} />
        </p>
      </PageHeader>
      {error ? <ErrorState title="Cannot read the registry" error={error} /> : null}
      {isLoading ? <LoadingState>Loading listings…</LoadingState> : listings.length > 0 ? <ListingTable listings={listings} /> : null}
      {!isLoading && !error && listings.length === 0 ? <EmptyState title="No listings yet">A seller lists a model with `bazaar list` or the seller pages.</EmptyState> : null}
    </main>
  );
}
