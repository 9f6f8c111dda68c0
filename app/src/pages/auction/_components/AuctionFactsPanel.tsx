/**
 * An auction's terms and where it stands: the reserve, the non-reveal penalty, who may bid,
 * countdowns to the end of bidding and of reveals (on the chain's clock), the bids committed
 * and revealed, the highest valid bid so far, and once reveals are over the winner and price.
 */
import type { AuctionView } from "@modelbazaar/sdk/actions";
import { auctionKindLabel } from "@modelbazaar/sdk/labels";
import { Address } from "../../../components/Address.tsx";
import { Countdown } from "../../../components/Countdown.tsx";
import { ether } from "../../../format.ts";
import { Facts } from "../../../components/Facts.tsx";
import { Panel } from "../../../components/Panel.tsx";

const KIND_RULE = { "first-price": "the winner pays its own bid", "second-price": "the winner pays the second-highest valid bid, at least the reserve (Vickrey)" } as const;

export function AuctionFactsPanel({ view }: { view: AuctionView }) {
  const over = view.phase === "settleable" || view.phase === "settled";
  return (
    <Panel id="auction-facts" title="Terms and phase">
      <Facts
        rows={[
          ["kind", `${auctionKindLabel(view.kind)}: ${KIND_RULE[view.kind]}`],
          ["reserve", <span data-testid="reserve">{ether(view.reservePrice)}</span>],
          ["seller", <Address address={view.seller} />],
          ["who may bid", view.onlyTestDrivers ? `only those who test-drove listing #${view.listingId}` : "anyone but the seller"],
          ["non-reveal penalty", `${view.nonRevealPenaltyBps / 100}% of the collateral`],
          ["bidding ends", <span data-testid="commit-countdown"><Countdown deadline={BigInt(view.commitEnd)} /></span>],
          ["reveals end", <span data-testid="reveal-countdown"><Countdown deadline={BigInt(view.revealEnd)} /></span>],
          ["sealed bids", <span data-testid="bid-count">{view.bidCount}</span>],
          ["revealed", <span data-testid="revealed-count">{view.revealedCount}</span>],
          ...(over ? outcomeRows(view) : view.highestBidder ? ([["highest so far", `${ether(view.highestAmount)}`]] as const) : []),
        ]}
      />
    </Panel>
  );
}

function outcomeRows(view: AuctionView) {
  if (!view.winner) return [["outcome", <span data-testid="outcome">no valid bid reached the reserve: nothing is sold</span>]] as const;
  return [
    ["winner", <span data-testid="winner"><Address address={view.winner} /></span>],
    ["price", <span data-testid="clearing-price">{ether(view.clearingPrice)}</span>],
    ...(view.purchaseId !== undefined ? ([["purchase", <a className="link" href={`#/explorer/purchase/${view.purchaseId}`}>#{String(view.purchaseId)}</a>]] as const) : []),
  ] as const;
}
