/** The marketplace's front page: every listing read from the chain. */
import { useListings } from "../../hooks/useListings.ts";
import { chain, market } from "../../marketConfig.ts";
import { ListingTable } from "./_components/ListingTable.tsx";

export function ListingsPage() {
  const { listings, isLoading, error } = useListings();
  return (
    <main>
      <h1>ModelBazaar</h1>
      <p>
        {chain.name} · registry <code>{market.deployment.registry}</code>
      </p>
      {error ? <p role="alert">Cannot read the registry: {error.message.split("\n")[0]}</p> : null}
      {isLoading ? <p>Loading listings…</p> : <ListingTable listings={listings} />}
      {!isLoading && !error && listings.length === 0 ? <p>No listings yet.</p> : null}
    </main>
  );
}
