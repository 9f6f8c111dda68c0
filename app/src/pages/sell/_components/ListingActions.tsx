/**
 * The registry's changes to one listing, for its seller: pause or resume, reprice a fixed
 * price, delist for good (asked twice). Each is first judged by the SDK's listingChangeRefusal
 * (the sentence `bazaar listing` prints), so nothing is sent that would fail; a change that
 * races another is phrased from the registry's custom error by useTransactor.
 */
import { useId, useState } from "react";
import { parseEther, type Address } from "viem";
import { modelRegistryAbi } from "@modelbazaar/sdk/abis";
import { LISTING_STATUSES, listingChangeRefusal, type Listing, type ListingChange } from "@modelbazaar/sdk/actions";
import { useTransactor } from "../../../hooks/useTransactor.ts";
import { deployment } from "../../../marketConfig.ts";

const ETH_AMOUNT = /^(\d+(\.\d{1,18})?|\.\d{1,18})$/;

export function ListingActions({ listingId, listing, seller }: { listingId: bigint; listing: Listing; seller: Address }) {
  const { transact, pending } = useTransactor();
  const [refusal, setRefusal] = useState<string>();
  const [price, setPrice] = useState("");
  const [confirmDelist, setConfirmDelist] = useState(false);
  const priceId = useId();
  const registry = { address: deployment.registry, abi: modelRegistryAbi } as const;
  const status = LISTING_STATUSES[listing.status];
  if (status === "delisted") return <span className="text-base-content/70">delisted for good</span>;

  const refused = (change: ListingChange, newPrice?: bigint) => {
    const sentence = listingChangeRefusal(listingId, listing, seller, change, newPrice);
    setRefusal(sentence);
    return sentence !== undefined;
  };
  const pauseOrResume = () => {
    const change = status === "paused" ? "resume" : "pause";
    if (refused(change)) return;
    void transact({ ...registry, description: `${change === "pause" ? "Pause" : "Resume"} listing #${listingId}`, functionName: change === "pause" ? "pause" : "unpause", args: [listingId] });
  };
  const reprice = () => {
    if (!ETH_AMOUNT.test(price.trim())) return setRefusal(`the new price must be an amount of ETH such as 0.5, not "${price}"`);
    const wei = parseEther(price.trim());
    if (refused("reprice", wei)) return;
    void transact({ ...registry, description: `Reprice listing #${listingId} to ${price.trim()} ETH`, functionName: "updateOffer", args: [listingId, { ...listing.offer, price: wei }] }).then((receipt) => receipt && setPrice(""));
  };
  const delist = () => {
    if (refused("delist")) return;
    setConfirmDelist(false);
    void transact({ ...registry, description: `Delist listing #${listingId}`, functionName: "delist", args: [listingId] });
  };

  return (
    <div className="flex min-w-0 flex-col gap-2" data-testid="listing-actions">
      <div className="flex flex-wrap gap-2">
        <button type="button" className="btn btn-xs" disabled={pending} onClick={pauseOrResume}>
          {status === "paused" ? "Resume" : "Pause"}
        </button>
        {confirmDelist ? (
          <>
            <button type="button" className="btn btn-error btn-xs" disabled={pending} onClick={delist}>
              Delist #{String(listingId)} for good
            </button>
            <button type="button" className="btn btn-ghost btn-xs" onClick={() => setConfirmDelist(false)}>
              Keep it
            </button>
          </>
        ) : (
          <button type="button" className="btn btn-ghost btn-xs" disabled={pending} onClick={() => setConfirmDelist(true)}>
            Delist…
          </button>
        )}
      </div>
      {listing.offer.saleMode === 0 ? (
        <form className="flex flex-wrap items-center gap-1" onSubmit={(event) => (event.preventDefault(), reprice())}>
          <label htmlFor={priceId} className="sr-only">
            New price of listing #{String(listingId)} in ETH
          </label>
          <input id={priceId} className="input input-xs w-20" inputMode="decimal" placeholder="ETH" value={price} onChange={(event) => setPrice(event.target.value)} />
          <button type="submit" className="btn btn-xs" disabled={pending || price.trim() === ""}>
            Reprice
          </button>
        </form>
      ) : null}
      {refusal ? (
        <p role="alert" className="text-xs text-error" data-testid="listing-refusal">
          {refusal}
        </p>
      ) : null}
    </div>
  );
}
