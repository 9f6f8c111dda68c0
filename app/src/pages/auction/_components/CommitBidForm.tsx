/**
 * Commits a sealed bid: the amount and an optional collateral (at least the bid; left empty, the
 * SDK's sealBid adds a random pad so watchers only learn a range). The amount and salt are kept
 * in this browser BEFORE the wallet is asked (auction/keptBid.ts), so nothing the reveal needs
 * can be lost to a closed tab; the SDK's bidRefusal says why a bid cannot be made. When the
 * bidder has an evaluated test-drive of the listing (the SDK's findBidTestDrives: on chain or kept
 * in this browser), its deposit can join the collateral (`bazaar bid --test <testId>`); a
 * test-drivers-only auction requires one, so it is chosen by default there.
 */
import { useId, useState, type FormEvent } from "react";
import type { Address } from "viem";
import { bidRefusal, depositBidRefusal, type AuctionView, type BidTestDrive } from "@modelbazaar/sdk/actions";
import { modelMarketAbi } from "@modelbazaar/sdk/abis";
import { sealBid } from "@modelbazaar/sdk/auctions";
import { etherFromText, notEtherSentence } from "@modelbazaar/sdk/labels";
import { firstLine } from "../../../components/States.tsx";
import { ether } from "../../../format.ts";
import { useBidTestDrives } from "../../../hooks/useBidTestDrives.ts";
import { useTransactor } from "../../../hooks/useTransactor.ts";
import { deployment } from "../../../marketConfig.ts";
import { keepSealedBid } from "../../../auction/keptBid.ts";

export function CommitBidForm({ view, bidder, onKept }: { view: AuctionView; bidder: Address; onKept: () => void }) {
  const { transact, pending } = useTransactor();
  const [amountText, setAmountText] = useState("");
  const [collateralText, setCollateralText] = useState("");
  const [error, setError] = useState<string>();
  const [testChoice, setTestChoice] = useState<string>();
  const testDrives = useBidTestDrives(view.listingId, bidder).data ?? [];
  const testSelectId = useId();
  const chosen = testDrives.find((drive) => drive.testId.toString() === (testChoice ?? (view.onlyTestDrivers ? testDrives[0]?.testId.toString() : undefined)));
  const testId = chosen?.testId ?? 0n;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const amount = etherFromText(amountText);
    if (amount === undefined) return setError(notEtherSentence("Your bid", amountText));
    const collateral = collateralText.trim() === "" ? undefined : etherFromText(collateralText);
    if (collateral === undefined && collateralText.trim() !== "") return setError(notEtherSentence("The collateral", collateralText));
    const refused = bidRefusal(view, bidder, amount, collateral, testId);
    if (refused) return setError(refused.sentence);
    setError(undefined);
    const sealed = sealBid({ auctionId: view.auctionId, bidder, amount, collateral });
    const uncovered = chosen ? depositBidRefusal(view, sealed.collateral, chosen.deposit) : undefined;
    if (uncovered) return setError(uncovered.sentence);
    try {
      keepSealedBid(deployment.chainId, deployment.market, sealed);
    } catch (cause) {
      return setError(`this browser refused to keep the bid's secret (${firstLine(cause)}), so it was not sent: without the secret the bid could not be revealed`);
    }
    onKept();
    await transact({
      description: `Commit a sealed bid in auction #${view.auctionId} with ${ether(sealed.collateral)} collateral${chosen ? ` plus the ${ether(chosen.deposit)} deposit of test-drive #${chosen.testId}` : ""}`,
      address: deployment.market,
      abi: modelMarketAbi,
      functionName: "commitBid",
      args: [view.auctionId, sealed.commitment, testId],
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
      {testDrives.length > 0 ? (
        <div className="flex flex-col gap-1">
          <label className="text-sm font-medium" htmlFor={testSelectId}>
            Apply a test-drive's deposit
          </label>
          <select id={testSelectId} className="select w-full" name="testId" value={chosen?.testId.toString() ?? ""} onChange={(e) => setTestChoice(e.target.value)} aria-describedby="test-deposit-help">
            <option value="">{view.onlyTestDrivers ? "none (this auction requires one)" : "none: ether only"}</option>
            {testDrives.map((drive) => (
              <option key={drive.testId.toString()} value={drive.testId.toString()}>
                {testDriveOption(drive)}
              </option>
            ))}
          </select>
          <p id="test-deposit-help" className="text-xs text-base-content/70">
            The deposit of your evaluated test-drive joins the collateral{view.onlyTestDrivers ? " and admits you to this test-drivers-only auction" : ""}; it goes back under the test-drive's rule when the bid is released, never to a penalty.
          </p>
        </div>
      ) : view.onlyTestDrivers ? (
        <p className="text-sm" data-testid="testers-only-note">
          This auction admits only bidders who test-drove <a className="link" href={`#/model/${view.listingId}`}>listing #{String(view.listingId)}</a>.
        </p>
      ) : null}
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

function testDriveOption(drive: BidTestDrive): string {
  return `test-drive #${drive.testId}: its ${ether(drive.deposit)} deposit`;
}
