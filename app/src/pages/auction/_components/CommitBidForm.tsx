/**
 * Commits a sealed bid: the amount and an optional collateral (at least the bid; left empty, the
 * SDK's sealBid adds a random pad so watchers only learn a range). The amount and salt are kept
 * in this browser BEFORE the wallet is asked (auction/keptBid.ts), so nothing the reveal needs
 * can be lost to a closed tab; the SDK's bidRefusal says why a bid cannot be made.
 */
import { useState, type FormEvent } from "react";
import type { Address } from "viem";
import { bidRefusal, type AuctionView } from "@modelbazaar/sdk/actions";
import { modelMarketAbi } from "@modelbazaar/sdk/abis";
import { sealBid } from "@modelbazaar/sdk/auctions";
import { etherFromText, notEtherSentence } from "@modelbazaar/sdk/labels";
import { firstLine } from "../../../components/States.tsx";
import { ether } from "../../../format.ts";
import { useTransactor } from "../../../hooks/useTransactor.ts";
import { deployment } from "../../../marketConfig.ts";
import { keepSealedBid } from "../../../auction/keptBid.ts";

export function CommitBidForm({ view, bidder, onKept }: { view: AuctionView; bidder: Address; onKept: () => void }) {
  const { transact, pending } = useTransactor();
  const [amountText, setAmountText] = useState("");
  const [collateralText, setCollateralText] = useState("");
  const [error, setError] = useState<string>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const amount = etherFromText(amountText);
    if (amount === undefined) return setError(notEtherSentence("Your bid", amountText));
    const collateral = collateralText.trim() === "" ? undefined : etherFromText(collateralText);
    if (collateral === undefined && collateralText.trim() !== "") return setError(notEtherSentence("The collateral", collateralText));
    const refused = bidRefusal(view, bidder, amount, collateral, 0n);
    if (refused) return setError(refused.sentence);
    setError(undefined);
    const sealed = sealBid({ auctionId: view.auctionId, bidder, amount, collateral });
    try {
      keepSealedBid(deployment.chainId, deployment.market, sealed);
    } catch (cause) {
      return setError(`this browser refused to keep the bid's secret (${firstLine(cause)}), so it was not sent: without the secret the bid could not be revealed`);
    }
    onKept();
    await transact({
      description: `Commit a sealed bid in auction #${view.auctionId} with ${ether(sealed.collateral)} collateral`,
      address: deployment.market,
      abi: modelMarketAbi,
      functionName: "commitBid",
      args: [view.auctionId, sealed.commitment, 0n],
      value: sealed.collateral,
    });
  }

  return (
    <form className="flex flex-col gap-3" onSubmit={(event) => void submit(event)} data-testid="commit-bid-form" noValidate>
      <div className="grid gap-3 sm:grid-cols-2">
        <label className="form-control flex flex-col gap-1">
          <span className="text-sm font-medium">Your bid (ETH)</span>
          <input className="input w-full" name="amount" inputMode="decimal" autoComplete="off" placeholder={`at least ${ether(view.reservePrice)}`} value={amountText} onChange={(e) => setAmountText(e.target.value)} required />
        </label>
        <label className="form-control flex flex-col gap-1">
          <span className="text-sm font-medium">Collateral (ETH, optional)</span>
          <input className="input w-full" name="collateral" inputMode="decimal" autoComplete="off" placeholder="your bid plus a random pad" value={collateralText} onChange={(e) => setCollateralText(e.target.value)} aria-describedby="collateral-help" />
        </label>
      </div>
      <p id="collateral-help" className="text-xs text-base-content/70">
        Only the collateral is public. Lock more than your bid to hide it: left empty, a random pad of up to the bid is added, so watchers only learn your bid lies between about half the collateral and all of it. The part above the price comes back after the auction.
      </p>
      {error ? (
        <p role="alert" className="alert alert-error alert-soft text-base-content text-sm" data-testid="bid-error">
          {error}
        </p>
      ) : null}
      <button type="submit" className="btn btn-primary self-start" disabled={pending}>
        {pending ? <span className="loading loading-spinner loading-sm" aria-hidden="true" /> : null}
        Seal and commit the bid
      </button>
    </form>
  );
}
