/**
 * Once the reveal window has closed, the bids whose collateral the market still holds, each with
 * a button that releases it (`reclaimBid(auctionId, bidder)`: anyone may, for any bidder, as
 * `bazaar bid reclaim <id> --bidder <address>` does): the refund is credited to the bidder, who
 * collects it with Withdraw; a never-revealed bid's penalty goes to the winner (the seller when
 * nobody won). The connected account's own bid is released from "Your part".
 */
import { isAddressEqual, type Address as Hex20 } from "viem";
import type { AuctionView } from "@modelbazaar/sdk/actions";
import { modelMarketAbi } from "@modelbazaar/sdk/abis";
import { Address } from "../../../components/Address.tsx";
import { useTransactor } from "../../../hooks/useTransactor.ts";
import { deployment } from "../../../marketConfig.ts";
import { Panel } from "../../../components/Panel.tsx";

export function UnreleasedBidsPanel({ view, account }: { view: AuctionView; account: Hex20 | undefined }) {
  const { transact, pending } = useTransactor();
  const over = view.phase === "settleable" || view.phase === "settled";
  const others = view.unreleased.filter((bidder) => account === undefined || !isAddressEqual(bidder, account));
  if (!over || others.length === 0) return null;
  const release = (bidder: Hex20) =>
    transact({ address: deployment.market, abi: modelMarketAbi, description: `Release the collateral of ${bidder} in auction #${view.auctionId}`, functionName: "reclaimBid", args: [view.auctionId, bidder] });
  return (
    <Panel id="unreleased-bids" title="Collateral still held" className="lg:col-span-3">
      <p className="text-sm">
        The reveal window has closed: anyone may release these bids. Each refund is credited to its bidder (collected with Withdraw); a bid never validly revealed gives up the {view.nonRevealPenaltyBps / 100}% penalty.
      </p>
      <ul className="flex flex-col gap-2">
        {others.map((bidder) => (
          <li key={bidder} className="flex flex-wrap items-center gap-2 text-sm" data-testid="unreleased-bid">
            <Address address={bidder} />
            {account ? (
              <button type="button" className="btn btn-outline btn-sm" disabled={pending} onClick={() => void release(bidder)}>
                Release this collateral
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {account ? null : <p className="text-sm">Connect a wallet to release them.</p>}
    </Panel>
  );
}
