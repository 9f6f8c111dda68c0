/**
 * The registry's changes to one listing, for its seller: pause or resume, reprice a fixed
 * price, switch between a fixed price and auctions, delist for good (asked twice). Each is first
 * judged by the SDK's listingChangeRefusal or saleModeRefusal (the sentences `bazaar listing`
 * prints), so nothing is sent that would fail; a change that races another is phrased from the
 * registry's custom error by useTransactor.
 */
import { useId, useState } from "react";
import { parseEther, type Address } from "viem";
import { modelRegistryAbi } from "@modelbazaar/sdk/abis";
import { LISTING_STATUSES, listingChangeRefusal, offerInSaleMode, saleModeRefusal, type Listing, type ListingChange, type SaleModeName } from "@modelbazaar/sdk/actions";
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
  const enteredPrice = (): bigint | undefined => {
    if (ETH_AMOUNT.test(price.trim())) return parseEther(price.trim());
    setRefusal(`the new price must be an amount of ETH such as 0.5, not "${price}"`);
    return undefined;
  };
  const reprice = () => {
    const wei = enteredPrice();
    if (wei === undefined || refused("reprice", wei)) return;
    void transact({ ...registry, description: `Reprice listing #${listingId} to ${price.trim()} ETH`, functionName: "updateOffer", args: [listingId, { ...listing.offer, price: wei }] }).then((receipt) => receipt && setPrice(""));
  };
  const switchSaleMode = (mode: SaleModeName, wei?: bigint) => {
    const sentence = saleModeRefusal(listingId, listing, seller, mode, wei);
    setRefusal(sentence);
    if (sentence !== undefined) return;
    const description = mode === "auction" ? `Sell listing #${listingId} by auction` : `Sell listing #${listingId} at ${price.trim()} ETH`;
    void transact({ ...registry, description, functionName: "updateOffer", args: [listingId, offerInSaleMode(listing.offer, mode, wei)] }).then((receipt) => receipt && setPrice(""));
  };
  const sellAtFixedPrice = () => {
    const wei = enteredPrice();
    if (wei !== undefined) switchSaleMode("fixed", wei);
  };
  const fixed = listing.offer.saleMode === 0;
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
      <form className="flex flex-wrap items-center gap-1" onSubmit={(event) => (event.preventDefault(), fixed ? reprice() : sellAtFixedPrice())}>
        <label htmlFor={priceId} className="sr-only">
          {fixed ? "New price" : "Fixed price"} of listing #{String(listingId)} in ETH
        </label>
        <input id={priceId} className="input input-xs w-20" inputMode="decimal" placeholder="ETH" value={price} onChange={(event) => setPrice(event.target.value)} />
        <button type="submit" className="btn btn-xs" disabled={pending || price.trim() === ""}>
          {fixed ? "Reprice" : "Sell at this price"}
        </button>
      </form>
      {fixed ? (
        <button type="button" className="btn btn-ghost btn-xs self-start" disabled={pending} onClick={() => switchSaleMode("auction")}>
          Sell by auction instead
        </button>
      ) : null}
      {refusal ? (
        <p role="alert" className="text-xs text-error" data-testid="listing-refusal">
          {refusal}
        </p>
      ) : null}
    </div>
  );
}
