/** What the seller claims and charges: accuracy, the sale (price, with the way to buy, or auction), the test policy and its windows. */
import { stateLabel } from "@modelbazaar/sdk/labels";
import { formatDuration } from "../../../components/Countdown.tsx";
import { ether, percent } from "../../../format.ts";
import { buyRoute } from "../../purchase/buyRoute.ts";
import { Facts } from "../../../components/Facts.tsx";
import { Panel } from "../../../components/Panel.tsx";

export interface ListingTerms {
  readonly claimedAccuracyBps: number;
  readonly testPolicy: {
    readonly deposit: bigint;
    readonly feePerExtraSample: bigint;
    readonly freeSamples: number;
    readonly minSamples: number;
    readonly maxSamples: number;
    readonly serviceWindow: number;
    readonly disputeWindow: number;
  };
}

export function TermsPanel({ listingId, terms, offer }: { listingId: bigint; terms: ListingTerms; offer: { readonly saleMode: number; readonly price: bigint } }) {
  const p = terms.testPolicy;
  return (
    <Panel id="terms" title="Claim, price and test policy">
      <div className="flex flex-wrap items-end gap-x-6 gap-y-2">
        <div>
          <p className="text-xs text-base-content/70">claimed accuracy</p>
          <p className="text-2xl font-bold tabular-nums" data-testid="claimed-accuracy">
            {percent(terms.claimedAccuracyBps)}
          </p>
        </div>
        <div>
          <p className="text-xs text-base-content/70">{offer.saleMode === 0 ? "price" : "sale"}</p>
          <p className="text-2xl font-bold tabular-nums" data-testid="price">
            {offer.saleMode === 0 ? ether(offer.price) : stateLabel("SaleMode", "Auction")}
          </p>
          {offer.saleMode !== 0 ? (
            <a className="link text-sm" href={`#/explorer/listing/${listingId}`}>
              its auctions in the explorer
            </a>
          ) : null}
        </div>
        {offer.saleMode === 0 ? (
          <a className="btn btn-primary btn-sm" href={`#${buyRoute(listingId, offer.price)}`}>
            Buy now
          </a>
        ) : null}
      </div>
      <Facts
        rows={[
          ["deposit", ether(p.deposit)],
          ["free samples", p.freeSamples],
          ["fee per extra sample", ether(p.feePerExtraSample)],
          ["test set size", `${p.minSamples} to ${p.maxSamples} samples`],
          ["the worker answers within", formatDuration(BigInt(p.serviceWindow))],
          ["refund claims within", `${formatDuration(BigInt(p.disputeWindow))} of the result`],
        ]}
      />
    </Panel>
  );
}
