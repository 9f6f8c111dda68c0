/**
 * What the connected account can do in the auction now, from the chain: connect; bid (while
 * bidding is open, unless it is the seller or already bid); keep its bid's secret (warning,
 * export, import) and reveal it in the reveal window; after reveals, settle (anyone) and reclaim
 * its collateral; the winner and the seller then go on to the purchase. Every refusal is the
 * SDK's sentence (auctionRefusals), every failed transaction the wallet's (useTransactor).
 */
import { useState } from "react";
import type { Address } from "viem";
import { reclaimRefusal, revealRefusal, settleRefusal, type AuctionView } from "@modelbazaar/sdk/actions";
import { modelMarketAbi } from "@modelbazaar/sdk/abis";
import { Countdown } from "../../../components/Countdown.tsx";
import { useTransactor } from "../../../hooks/useTransactor.ts";
import { ether } from "../../../format.ts";
import { deployment } from "../../../marketConfig.ts";
import { keptBidFor, type BrowserKeptBid } from "../../../auction/keptBid.ts";
import { Facts } from "../../../components/Facts.tsx";
import { Panel } from "../../../components/Panel.tsx";
import { CommitBidForm } from "./CommitBidForm.tsx";
import { KeptBidNote } from "./KeptBidNote.tsx";

export function YourPartPanel({ view, account }: { view: AuctionView; account: Address | undefined }) {
  return (
    <Panel id="your-part" title="Your part" className="lg:col-span-2">
      {account ? <Part view={view} account={account} /> : <p className="text-sm">Connect a wallet to bid, reveal, reclaim or settle.</p>}
    </Panel>
  );
}

function Part({ view, account }: { view: AuctionView; account: Address }) {
  const { transact, pending } = useTransactor();
  const [, setKeptVersion] = useState(0);
  const isSeller = view.seller.toLowerCase() === account.toLowerCase();
  const bid = view.bid;
  const kept = bid ? keptBidFor(deployment.chainId, deployment.market, view.auctionId, account, bid.commitment) : undefined;
  const onKept = () => setKeptVersion((n) => n + 1);
  const won = view.winner !== undefined && view.winner.toLowerCase() === account.toLowerCase();
  const market = { address: deployment.market, abi: modelMarketAbi } as const;

  const reveal = (secret: BrowserKeptBid) =>
    transact({ ...market, description: `Reveal your bid of ${ether(BigInt(secret.amount))} in auction #${view.auctionId}`, functionName: "revealBid", args: [view.auctionId, BigInt(secret.amount), secret.salt] });
  const reclaim = () => transact({ ...market, description: `Reclaim your collateral in auction #${view.auctionId}`, functionName: "reclaimBid", args: [view.auctionId, account] });
  const settle = () => transact({ ...market, description: `Settle auction #${view.auctionId}`, functionName: "settleAuction", args: [view.auctionId] });

  const canReveal = !revealRefusal(view, account);
  const canReclaim = !reclaimRefusal(view, account);
  const canSettle = !settleRefusal(view);
  return (
    <div className="flex flex-col gap-4" data-testid="your-part">
      {isSeller ? <p className="text-sm">You are the seller: bids are sealed until bidding ends; after the reveal window anyone settles, and you deliver the model to the winner.</p> : null}
      {!isSeller && !bid ? view.phase === "bidding" ? <CommitBidForm view={view} bidder={account} onKept={onKept} /> : <p className="text-sm">You did not bid in this auction.</p> : null}
      {bid ? (
        <>
          <Facts
            rows={[
              ["your collateral", ether(bid.collateral)],
              ["your bid", bid.revealed ? `${ether(bid.amount)} (revealed)` : kept ? `${ether(BigInt(kept.amount))} (sealed)` : "sealed"],
              ["state", <span data-testid="your-bid-state">{bidState(view, account, won)}</span>],
            ]}
          />
          {!bid.revealed && !bid.reclaimed ? <KeptBidNote view={view} bidder={account} kept={kept} onKept={onKept} /> : null}
        </>
      ) : null}
      <div className="flex flex-wrap items-center gap-2">
        {bid && !bid.revealed && view.phase === "bidding" ? (
          <p className="text-sm">
            Reveal opens in <Countdown deadline={BigInt(view.commitEnd)} endedText="a moment" />.
          </p>
        ) : null}
        {canReveal && kept ? (
          <button type="button" className="btn btn-primary" disabled={pending} onClick={() => void reveal(kept)}>
            Reveal your bid
          </button>
        ) : null}
        {canSettle ? (
          <button type="button" className="btn btn-primary" disabled={pending} onClick={() => void settle()}>
            Settle the auction
          </button>
        ) : null}
        {canReclaim ? (
          <button type="button" className="btn btn-outline" disabled={pending} onClick={() => void reclaim()}>
            {won ? `Reclaim your collateral beyond the ${ether(view.clearingPrice)} price` : "Reclaim your collateral"}
          </button>
        ) : null}
        {view.phase === "settled" && view.purchaseId !== undefined && (won || isSeller) ? (
          <a className="btn btn-outline" href={`#/purchase/${view.purchaseId}`} data-testid="purchase-link">
            {won ? `Receive the model: purchase #${view.purchaseId}` : `Deliver the model: purchase #${view.purchaseId}`}
          </a>
        ) : null}
      </div>
    </div>
  );
}

function bidState(view: AuctionView, account: Address, won: boolean): string {
  const bid = view.bid!;
  const competes = view.reveals.some((r) => r.valid && r.bidder.toLowerCase() === account.toLowerCase());
  const over = view.phase === "settleable" || view.phase === "settled";
  if (bid.reclaimed) return won ? "won; the collateral beyond the price was returned" : "collateral released";
  if (!over) return bid.revealed ? (competes ? "revealed: it competes" : "revealed above its collateral: it does not compete and pays the penalty") : "sealed";
  if (won) return `won at ${ether(view.clearingPrice)}`;
  if (bid.revealed) return competes ? "outbid: reclaim your collateral" : `revealed above its collateral: reclaiming returns all but the ${view.nonRevealPenaltyBps / 100}% penalty`;
  return `never revealed: reclaiming returns all but the ${view.nonRevealPenaltyBps / 100}% penalty`;
}
