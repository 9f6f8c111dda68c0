/**
 * Buying a fixed-price listing (#/buy/<listing>?price=<wei>, and &test=<id> to apply that
 * test-drive's deposit): the price the buyer was shown is part of the address (the model page's
 * link carries it; a page opened without one pins the chain's price on arrival), and it is the
 * price passed to `buy` as the one the buyer agreed to, so the market refuses the purchase
 * (FairExchangePriceChanged, said as a sentence) if the seller changed it; a change seen while
 * the page is open is shown before anything is sent, with a button to take the new price.
 * Once bought, the purchase's own page follows the delivery.
 */
import { useEffect } from "react";
import { parseEventLogs } from "viem";
import { useAccount, useReadContract } from "wagmi";
import { buyValue } from "@modelbazaar/sdk/actions";
import { modelMarketAbi } from "@modelbazaar/sdk/abis";
import { Address } from "../../components/Address.tsx";
import { formatDuration } from "../../components/Countdown.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { EmptyState, ErrorState, LoadingState } from "../../components/States.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { ether, modelName } from "../../format.ts";
import { useHashRoute } from "../../hooks/useHashRoute.ts";
import { useListing } from "../../hooks/useListing.ts";
import { useTransactor } from "../../hooks/useTransactor.ts";
import { deployment } from "../../marketConfig.ts";
import { Facts } from "../../components/Facts.tsx";
import { Panel } from "../../components/Panel.tsx";
import { buyRoute } from "./buyRoute.ts";
import { parseIdText } from "./_components/parseIdText.ts";

/** IModelRegistry.ListingStatus.Active and SaleMode.FixedPrice. */
const ACTIVE = 1;
const FIXED_PRICE = 0;

export function BuyPage() {
  const [path = "", query = ""] = useHashRoute().split("?");
  const listingId = parseIdText(path.split("/")[2]);
  const params = new URLSearchParams(query);
  const testText = params.get("test");
  const testId = testText === null ? 0n : parseIdText(testText);
  const priceText = params.get("price");
  const shown = priceText !== null && /^[1-9]\d{0,29}$/.test(priceText) ? BigInt(priceText) : undefined;
  if (listingId === undefined || testId === undefined || (priceText !== null && shown === undefined)) {
    return (
      <main>
        <EmptyState title="Not a listing to buy">
          <p>
            #{path}
            {query ? `?${query}` : ""} names no listing (or no test-drive). <a className="link" href="#/">Back to the listings</a>
          </p>
        </EmptyState>
      </main>
    );
  }
  return <Buy listingId={listingId} testId={testId} shown={shown} />;
}

/** This page's address with the price the buyer is shown (replacing the current entry: no extra step back). */
function showPrice(listingId: bigint, testId: bigint, price: bigint): void {
  window.location.replace(`#${buyRoute(listingId, price, testId)}`);
}

function Buy({ listingId, testId, shown }: { listingId: bigint; testId: bigint; shown: bigint | undefined }) {
  const { data: listing, error, isLoading } = useListing(listingId);
  const { address } = useAccount();
  const { transact, pending, error: buyError } = useTransactor();
  const deliveryWindow = useReadContract({ address: deployment.market, abi: modelMarketAbi, functionName: "deliveryWindow" });
  const complaintWindow = useReadContract({ address: deployment.market, abi: modelMarketAbi, functionName: "complaintWindow" });
  const live = listing?.offer.price;
  useEffect(() => {
    if (shown === undefined && live !== undefined) showPrice(listingId, testId, live);
  }, [shown, live, listingId, testId]);

  if (error) {
    return (
      <main>
        <ErrorState title={`Cannot show listing #${listingId}`} error={error} />
      </main>
    );
  }
  if (isLoading || !listing || shown === undefined) {
    return (
      <main>
        <LoadingState>Reading listing #{String(listingId)}…</LoadingState>
      </main>
    );
  }
  const name = modelName(listing.offer.metadataURI);
  const deposit = testId === 0n ? 0n : listing.terms.testPolicy.deposit;
  const purchase = { listingId, price: shown, deposit, testId };
  const due = buyValue(purchase);
  const buyable = listing.status === ACTIVE && listing.offer.saleMode === FIXED_PRICE;

  const buy = async () => {
    const receipt = await transact({ description: `Buy listing #${listingId} for ${ether(shown)}`, address: deployment.market, abi: modelMarketAbi, functionName: "buy", args: [listingId, testId, shown], value: due });
    const [opened] = receipt ? parseEventLogs({ abi: modelMarketAbi, logs: receipt.logs, eventName: "PurchaseOpened" }) : [];
    if (opened) window.location.hash = `#/purchase/${opened.args.purchaseId}`;
  };

  return (
    <main>
      <PageHeader title={`Buy ${name}`} actions={<a className="btn btn-ghost btn-sm" href="#/purchases">My purchases</a>}>
        <p className="flex flex-wrap items-center gap-2">
          <a className="link" href={`#/model/${listingId}`}>
            Listing #{String(listingId)}
          </a>
          <StatusBadge enumName="ListingStatus" code={listing.status} /> · seller <Address address={listing.seller} />
        </p>
      </PageHeader>
      <div className="grid gap-4 lg:grid-cols-2">
        <Panel id="price-title" title="Price">
          <Facts
            rows={[
              ["Price", <span data-testid="price">{ether(shown)}</span>],
              ...(testId === 0n ? [] : ([["Deposit applied", `${ether(deposit)} from test-drive #${testId}`]] as const)),
              ["You pay now", <strong data-testid="due">{ether(due)}</strong>],
            ]}
          />
          {live !== undefined && live !== shown ? (
            <div role="alert" className="alert alert-warning alert-soft text-base-content text-sm" data-testid="price-changed">
              <span>
                The seller changed the price to {ether(live)} since this page showed {ether(shown)}: buying at {ether(shown)} will be refused.
              </span>
              <button type="button" className="btn btn-sm" onClick={() => showPrice(listingId, testId, live)}>
                Show the new price
              </button>
            </div>
          ) : null}
          {!buyable ? (
            <p role="alert" className="alert alert-info alert-soft text-base-content text-sm">
              {listing.offer.saleMode !== FIXED_PRICE ? "This listing is sold by auction: bid on its auction instead." : "This listing is not active, so it cannot be bought now."}
            </p>
          ) : address === undefined ? (
            <p className="text-sm">Connect your wallet to buy.</p>
          ) : (
            <button type="button" className="btn btn-primary self-start" disabled={pending} onClick={() => void buy()}>
              {pending ? <span className="loading loading-spinner loading-sm" aria-hidden="true" /> : null}
              Buy for {ether(shown)}
            </button>
          )}
          {buyError ? (
            <p role="alert" className="alert alert-error alert-soft text-base-content text-sm" data-testid="buy-error">
              {buyError}
            </p>
          ) : null}
        </Panel>
        <Panel id="escrow-title" title="How the purchase protects you">
          <ol className="list-decimal space-y-1 pl-5 text-sm">
            <li>The price is held in escrow by the market contract, not paid to the seller.</li>
            <li>
              The seller has {deliveryWindow.data === undefined ? "…" : formatDuration(BigInt(deliveryWindow.data))} to commit an encrypted delivery; otherwise you get the escrow back
              {testId === 0n ? "" : " (the deposit goes back to its test-drive)"}.
            </li>
            <li>This browser downloads it from the seller's worker and checks every chunk against the on-chain roots before you accept.</li>
            <li>
              The key is revealed on-chain; this browser decrypts and checks the model. A wrong chunk is a one-click complaint with its proof, which refunds you, within{" "}
              {complaintWindow.data === undefined ? "…" : formatDuration(BigInt(complaintWindow.data))}.
            </li>
          </ol>
        </Panel>
      </div>
    </main>
  );
}
