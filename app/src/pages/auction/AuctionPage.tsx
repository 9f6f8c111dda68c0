/**
 * One sealed-bid auction (#/auction/<id>), following the chain block by block: its terms and
 * phase with countdowns to the end of bidding and of reveals, the bids revealed so far, and
 * what the connected account can do now: commit a sealed bid (its secret kept in this browser,
 * with a warning and an export), reveal it, reclaim its collateral, settle, release any other
 * bidder's collateral after the reveal window; the winner and the seller go on to the purchase
 * the settlement opened.
 */
import { useAccount } from "wagmi";
import { auctionStatusCode } from "@modelbazaar/sdk/auctions";
import { auctionKindLabel } from "@modelbazaar/sdk/labels";
import { PageHeader } from "../../components/PageHeader.tsx";
import { EmptyState, ErrorState, LoadingState } from "../../components/States.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { useAuction } from "../../hooks/useAuction.ts";
import { useHashRoute } from "../../hooks/useHashRoute.ts";
import { AuctionFactsPanel } from "./_components/AuctionFactsPanel.tsx";
import { RevealedBidsPanel } from "./_components/RevealedBidsPanel.tsx";
import { UnreleasedBidsPanel } from "./_components/UnreleasedBidsPanel.tsx";
import { YourPartPanel } from "./_components/YourPartPanel.tsx";

export function AuctionPage() {
  const text = useHashRoute().split("/")[2] ?? "";
  if (!/^[1-9]\d{0,18}$/.test(text)) {
    return (
      <main>
        <EmptyState title="Not an auction">
          <p>
            "{text}" is not an auction id. <a className="link" href="#/">Back to the listings</a>
          </p>
        </EmptyState>
      </main>
    );
  }
  return <Auction auctionId={BigInt(text)} />;
}

function Auction({ auctionId }: { auctionId: bigint }) {
  const { address } = useAccount();
  const { data: view, error, isLoading } = useAuction(auctionId, address);
  if (error) {
    return (
      <main>
        <ErrorState title={`Cannot show auction #${auctionId}`} error={error} />
      </main>
    );
  }
  if (isLoading || !view) {
    return (
      <main>
        <LoadingState>Reading auction #{String(auctionId)}…</LoadingState>
      </main>
    );
  }
  return (
    <main>
      <PageHeader title={`Auction #${auctionId}`} actions={<a className="btn btn-ghost btn-sm" href={`#/model/${view.listingId}`}>The model</a>}>
        <p className="flex flex-wrap items-center gap-2">
          <StatusBadge enumName="AuctionStatus" code={auctionStatusCode(view.phase)} /> {auctionKindLabel(view.kind)} sealed-bid auction of{" "}
          <a className="link" href={`#/model/${view.listingId}`}>
            listing #{String(view.listingId)}
          </a>
          ·
          <a className="link" href={`#/explorer/auction/${auctionId}`}>
            timeline
          </a>
        </p>
      </PageHeader>
      <div className="grid gap-4 lg:grid-cols-3">
        <AuctionFactsPanel view={view} />
        <YourPartPanel view={view} account={address} />
        <RevealedBidsPanel view={view} />
        <UnreleasedBidsPanel view={view} account={address} />
      </div>
    </main>
  );
}
