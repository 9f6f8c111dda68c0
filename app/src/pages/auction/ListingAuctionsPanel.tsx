/**
 * On an auction-mode listing's model page: its auctions, newest first, each linking to its
 * auction page, and for the listing's seller the form that starts a new one.
 */
import { useAccount } from "wagmi";
import type { Address } from "viem";
import { Panel } from "../../components/Panel.tsx";
import { useListingAuctions } from "../../hooks/useListingAuctions.ts";
import { StartAuctionForm } from "./_components/StartAuctionForm.tsx";

export function ListingAuctionsPanel({ listingId, seller, active }: { listingId: bigint; seller: Address; active: boolean }) {
  const { address } = useAccount();
  const { data: auctions } = useListingAuctions(listingId);
  const isSeller = address !== undefined && address.toLowerCase() === seller.toLowerCase();
  const newestFirst = [...(auctions ?? [])].reverse();
  return (
    <Panel id="auctions" title="Auctions" className="lg:col-span-3">
      {newestFirst.length === 0 ? (
        <p className="text-sm text-base-content/80">This model is sold by sealed-bid auction; its seller has not started one yet.</p>
      ) : (
        <ul className="flex flex-wrap gap-2" data-testid="listing-auctions">
          {newestFirst.map((auctionId) => (
            <li key={String(auctionId)}>
              <a className="btn btn-sm btn-outline" href={`#/auction/${auctionId}`}>
                Auction #{String(auctionId)}
              </a>
            </li>
          ))}
        </ul>
      )}
      {isSeller && active ? <StartAuctionForm listingId={listingId} /> : null}
    </Panel>
  );
}
