/**
 * The seller starts a sealed-bid auction of its auction-mode listing: kind, reserve, the bidding
 * and reveal windows, the non-reveal penalty and whether only test-drivers may bid, as
 * `bazaar auction create` takes them; on success the page moves to the new auction.
 */
import { useState, type FormEvent } from "react";
import { auctionPhaseRefusal, createdAuctionId } from "@modelbazaar/sdk/actions";
import { modelMarketAbi } from "@modelbazaar/sdk/abis";
import { auctionKindCode, type AuctionKind } from "@modelbazaar/sdk/auctions";
import { auctionKindLabel, etherFromText, notEtherSentence } from "@modelbazaar/sdk/labels";
import { useTransactor } from "../../../hooks/useTransactor.ts";
import { deployment } from "../../../marketConfig.ts";

const KINDS: readonly AuctionKind[] = ["second-price", "first-price"];

export function StartAuctionForm({ listingId }: { listingId: bigint }) {
  const { transact, pending } = useTransactor();
  const [kind, setKind] = useState<AuctionKind>("second-price");
  const [reserve, setReserve] = useState("1");
  const [bidding, setBidding] = useState("60");
  const [reveal, setReveal] = useState("60");
  const [penalty, setPenalty] = useState("10");
  const [onlyTestDrivers, setOnlyTestDrivers] = useState(false);
  const [error, setError] = useState<string>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const reservePrice = etherFromText(reserve);
    if (reservePrice === undefined) return setError(notEtherSentence("The reserve", reserve));
    const commitDuration = Number(bidding) * 60;
    const revealDuration = Number(reveal) * 60;
    const refused = auctionPhaseRefusal(commitDuration, "the bidding window") ?? auctionPhaseRefusal(revealDuration, "the reveal window");
    if (refused) return setError(refused.sentence);
    const penaltyPercent = Number(penalty);
    if (!/^\d+(\.\d{1,2})?$/.test(penalty) || penaltyPercent > 100) return setError(`the penalty must be a percentage from 0 to 100, not "${penalty}"`);
    setError(undefined);
    const params = { reservePrice, commitDuration, revealDuration, kind: auctionKindCode(kind), onlyTestDrivers, nonRevealPenaltyBps: Math.round(penaltyPercent * 100) };
    const receipt = await transact({ description: `Start a ${auctionKindLabel(kind)} auction of listing #${listingId}`, address: deployment.market, abi: modelMarketAbi, functionName: "createAuction", args: [listingId, params] });
    if (receipt) window.location.hash = `#/auction/${createdAuctionId(receipt.logs)}`;
  }

  return (
    <form className="flex flex-col gap-3 border-t border-base-300 pt-3" onSubmit={(event) => void submit(event)} data-testid="start-auction-form" noValidate>
      <h3 className="font-semibold">Start an auction</h3>
      <div className="grid gap-3 sm:grid-cols-3">
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">Kind</span>
          <select className="select w-full" value={kind} onChange={(e) => setKind(e.target.value as AuctionKind)}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {k === "second-price" ? `${auctionKindLabel(k)} (Vickrey): the winner pays the second bid` : `${auctionKindLabel(k)}: the winner pays its bid`}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">Reserve (ETH)</span>
          <input className="input w-full" inputMode="decimal" value={reserve} onChange={(e) => setReserve(e.target.value)} />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">Non-reveal penalty (%)</span>
          <input className="input w-full" inputMode="decimal" value={penalty} onChange={(e) => setPenalty(e.target.value)} />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">Bidding window (minutes)</span>
          <input className="input w-full" inputMode="numeric" value={bidding} onChange={(e) => setBidding(e.target.value)} />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">Reveal window (minutes)</span>
          <input className="input w-full" inputMode="numeric" value={reveal} onChange={(e) => setReveal(e.target.value)} />
        </label>
        <label className="flex items-center gap-2 self-end text-sm">
          <input type="checkbox" className="checkbox checkbox-sm" checked={onlyTestDrivers} onChange={(e) => setOnlyTestDrivers(e.target.checked)} />
          <span>Only bidders who test-drove it</span>
        </label>
      </div>
      {error ? (
        <p role="alert" className="alert alert-error alert-soft text-base-content text-sm" data-testid="start-auction-error">
          {error}
        </p>
      ) : null}
      <button type="submit" className="btn btn-primary self-start" disabled={pending}>
        Start the auction
      </button>
    </form>
  );
}
