/** The bids revealed so far, as their BidRevealed events arrive: bidder, amount, whether it competes, and its transaction. */
import type { AuctionView } from "@modelbazaar/sdk/actions";
import { Address } from "../../../components/Address.tsx";
import { DataTable } from "../../../components/DataTable.tsx";
import { ether } from "../../../format.ts";
import { Panel } from "../../../components/Panel.tsx";

export function RevealedBidsPanel({ view }: { view: AuctionView }) {
  const sealed = view.bidCount - view.revealedCount;
  return (
    <Panel id="revealed-bids" title="Revealed bids" className="lg:col-span-3">
      {view.reveals.length === 0 ? (
        <p className="text-sm text-base-content/80">
          {view.phase === "bidding" ? "Bids stay sealed until bidding ends; they appear here as their bidders reveal them." : "No bid has been revealed yet."}
        </p>
      ) : (
        <DataTable
          header={["bidder", "amount", "competes", "transaction"]}
          rowTestId="revealed-bid"
          rowKey={(i) => view.reveals[i]!.transactionHash}
          rows={view.reveals.map((bid) => [
            <Address address={bid.bidder} />,
            ether(bid.amount),
            bid.valid ? "yes" : "no: above its collateral",
            <a className="link font-mono" href={`#/tx/${bid.transactionHash}`}>
              block {String(bid.blockNumber)}
            </a>,
          ])}
        />
      )}
      {sealed > 0 ? <p className="text-sm text-base-content/70">{sealed === 1 ? "1 bid is" : `${sealed} bids are`} still sealed.</p> : null}
    </Panel>
  );
}
