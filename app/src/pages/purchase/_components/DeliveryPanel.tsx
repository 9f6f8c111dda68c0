/**
 * The buyer's side of a purchase's delivery (docs/PROTOCOL.md §5.2), from where it stands on the
 * chain: download the ciphertext from the seller's worker with progress, check every chunk
 * against the committed root (reject if it does not match), keep it in this browser (restored
 * on a reload; exportable) before offering to accept it, accept, wait for the key, decrypt
 * and verify every chunk against the model root (the listing's, or the buyer's copy's,
 * docs/PROTOCOL.md §7.2), then save the model and pay the
 * seller at once; a wrong chunk is one click: the complaint with its Merkle proofs, which
 * refunds. The checks and the proof are the SDK's (usePurchaseDelivery).
 */
import type { Address } from "viem";
import { purchaseCopy, type PurchaseView } from "@modelbazaar/sdk/actions";
import { findCopyReceipt } from "@modelbazaar/sdk/testDrives";
import { modelMarketAbi } from "@modelbazaar/sdk/abis";
import { modelRootName } from "@modelbazaar/sdk/delivery";
import { byteText } from "@modelbazaar/sdk/labels";
import { Countdown } from "../../../components/Countdown.tsx";
import { ether } from "../../../format.ts";
import { usePurchaseDelivery, type DownloadState } from "../../../hooks/usePurchaseDelivery.ts";
import { useTransactor } from "../../../hooks/useTransactor.ts";
import { deployment } from "../../../marketConfig.ts";
import { keptTestDrives } from "../../../testDrive/keptTestDrive.ts";
import { SaveModelLink } from "./SaveModelLink.tsx";

/** The buyer's kept CopyReceipt for the purchase's copy (docs/PROTOCOL.md §7.2): accepting a copy needs one. */
function testedCopy(view: PurchaseView, buyer: Address, copy: { copyRoot: `0x${string}`; copySize: bigint }) {
  const listingId = BigInt(view.purchase.listingId);
  return findCopyReceipt(keptTestDrives(deployment.chainId, deployment.market, { listingId, buyer }), { listingId, ...copy });
}

/** Statuses in which the seller's worker still serves the delivery and the buyer has a use for it. */
const DOWNLOADABLE = new Set<PurchaseView["status"]>(["AwaitingAcceptance", "AwaitingKey", "KeyOverdue", "ComplaintWindow", "Completable"]);

export function DeliveryPanel({ view, buyer, modelFile }: { view: PurchaseView; buyer: Address; modelFile: string }) {
  const { state, download, decrypted, safe, exported, exportDelivery } = usePurchaseDelivery(view, view.key);
  const { transact, pending, error } = useTransactor();
  const id = view.purchaseId;
  const call = (description: string, functionName: "acceptDelivery" | "rejectDelivery" | "completePurchase") =>
    void transact({ description, address: deployment.market, abi: modelMarketAbi, functionName, args: [id] });

  const complain = () => {
    if (decrypted?.ok === false) void transact({ description: `Complain about chunk ${decrypted.badChunk} of purchase #${id}`, address: deployment.market, abi: modelMarketAbi, functionName: "complain", args: [id, decrypted.complaint] });
  };
  const refund = (
    <button type="button" className="btn btn-outline self-start" disabled={pending} onClick={() => void transact({ description: `Refund purchase #${id}`, address: deployment.market, abi: modelMarketAbi, functionName: "refundPurchase", args: [id] })}>
      Refund the purchase ({ether(view.refundToBuyer)} to you)
    </button>
  );

  const reject =
    view.status === "AwaitingAcceptance" ? (
      <button type="button" className="btn btn-sm" disabled={pending} onClick={() => call(`Reject the delivery of purchase #${id}`, "rejectDelivery")}>
        Reject the delivery
      </button>
    ) : null;

  if (view.status === "Completed") {
    return (
      <div className="flex flex-col gap-3">
        <p data-testid="purchase-done">The purchase is complete: the seller was paid {ether(view.purchase.price)}.</p>
        {decrypted?.ok ? <SaveModelLink bytes={decrypted.file} fileName={modelFile} /> : null}
      </div>
    );
  }
  if (view.status === "Refunded") return <p data-testid="purchase-refunded">The purchase was refunded: {ether(view.refundToBuyer)} went back to you{view.depositApplied > 0n ? ` and ${ether(view.depositApplied)} to test-drive #${view.purchase.testId}` : ""} (sent with your own transaction, or else waiting under Withdraw in the account menu).</p>;
  if (view.ciphertextRoot === undefined) {
    return (
      <div className="flex flex-col gap-3">
        <p role="status" data-testid="awaiting-delivery">
          {view.status === "DeliveryOverdue" ? "The seller never committed a delivery: the purchase can be refunded." : <>Waiting for the seller to commit the delivery (<Countdown deadline={view.deadlines.delivery} />).</>}
        </p>
        {view.status === "DeliveryOverdue" ? refund : null}
      </div>
    );
  }
  const checked = state.phase === "downloaded" && state.check.ok;
  const copy = purchaseCopy(view);
  const untestedCopy = copy !== undefined && testedCopy(view, buyer, copy) === undefined;
  return (
    <div className="flex flex-col gap-3">
      <p className="text-sm break-all">
        Committed ciphertext root <code data-testid="ciphertext-root">{view.ciphertextRoot}</code>
      </p>
      {copy && untestedCopy ? (
        <div role="alert" className="alert alert-error alert-soft text-base-content text-sm flex flex-col items-start" data-testid="copy-delivery">
          <p className="break-all">
            This purchase delivers a per-buyer copy (root <code>{copy.copyRoot}</code>) that none of your test-drives kept in this browser was evaluated with: it is not the model you
            tested. Reject it to be refunded before any key is revealed (rejecting a copy costs no penalty).
          </p>
          {reject}
        </div>
      ) : null}
      {copy && !untestedCopy ? (
        <p className="text-sm break-all" data-testid="copy-delivery">
          This purchase delivers your own copy of the model, the one your test-drive was evaluated with (root <code>{copy.copyRoot}</code>).
        </p>
      ) : null}
      {state.phase === "restoring" ? (
        <p role="status" className="text-sm">
          Looking for a delivery kept in this browser…
        </p>
      ) : null}
      {DOWNLOADABLE.has(view.status) && state.phase !== "downloaded" && state.phase !== "restoring" ? (
        <button type="button" className="btn btn-primary self-start" disabled={state.phase === "downloading"} onClick={() => void download(buyer)}>
          {state.phase === "downloading" ? <span className="loading loading-spinner loading-sm" aria-hidden="true" /> : null}
          Download the delivery
        </button>
      ) : null}
      <DownloadProgress state={state} />
      {state.phase === "downloaded" && !state.check.ok ? (
        <div role="alert" className="alert alert-error alert-soft text-base-content text-sm" data-testid="delivery-mismatch">
          <span>The delivery does not match the seller's commitment ({state.check.reason}). Do not accept it{view.status === "AwaitingAcceptance" ? ": reject it to be refunded." : "."}</span>
          {reject}
        </div>
      ) : null}
      {checked ? (
        <p role="status" className="text-sm" data-testid="ciphertext-verified">
          All {state.delivery.ciphertext.length} chunks match the on-chain ciphertext root, and their model leaves match {modelRootName(state.delivery)}.
        </p>
      ) : null}
      {checked ? <KeptNote state={state} exported={exported} onExport={exportDelivery} /> : null}
      {checked && view.status === "AwaitingAcceptance" ? (
        <button type="button" className="btn btn-primary self-start" disabled={pending || !safe || untestedCopy} onClick={() => call(`Accept the delivery of purchase #${id}`, "acceptDelivery")}>
          Accept the delivery
        </button>
      ) : null}
      {checked && view.status === "AwaitingKey" ? (
        <p role="status" className="text-sm" data-testid="awaiting-key">
          Accepted. Waiting for the seller's worker to reveal the key on-chain ({view.deadlines.key === undefined ? "…" : <Countdown deadline={view.deadlines.key} />}).
        </p>
      ) : null}
      {view.status === "KeyOverdue" ? (
        <>
          <p className="text-sm">The seller's key is overdue: the purchase can be refunded.</p>
          {refund}
        </>
      ) : null}
      {decrypted?.ok ? (
        <div className="flex flex-col gap-2" data-testid="model-verified">
          <p role="status" className="text-sm">
            Decrypted in this browser: all {decrypted.file.length.toLocaleString("en-US")} bytes match {state.phase === "downloaded" ? modelRootName(state.delivery) : "the model root"}, chunk by chunk.
          </p>
          <SaveModelLink bytes={decrypted.file} fileName={modelFile} />
          {view.status === "ComplaintWindow" ? (
            <button type="button" className="btn btn-outline self-start" disabled={pending} onClick={() => call(`Pay the seller for purchase #${id}`, "completePurchase")}>
              Pay the seller now ({ether(view.purchase.price)})
            </button>
          ) : null}
        </div>
      ) : null}
      {decrypted?.ok === false ? (
        <div role="alert" className="alert alert-error alert-soft text-base-content flex-col items-start text-sm" data-testid="bad-chunk">
          <span>
            Chunk {decrypted.badChunk} decrypts to something other than the listed model. The complaint carries its Merkle proofs; the market checks them and refunds you
            {view.deadlines.complaint !== undefined ? (
              <>
                {" "}
                (complaints close: <Countdown deadline={view.deadlines.complaint} />)
              </>
            ) : null}
            .
          </span>
          {view.status === "ComplaintWindow" ? (
            <button type="button" className="btn btn-error btn-sm" disabled={pending} onClick={complain}>
              Complain about chunk {decrypted.badChunk}
            </button>
          ) : null}
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="alert alert-error alert-soft text-base-content text-sm" data-testid="delivery-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Where the checked delivery is kept (Accept waits for it), with its export. */
function KeptNote({ state, exported, onExport }: { state: Extract<DownloadState, { phase: "downloaded" }>; exported: boolean; onExport: () => void }) {
  const keeping = state.keeping;
  const refused = keeping?.kept === "refused";
  return (
    <div role="note" className={`alert ${refused && !exported ? "alert-warning" : "alert-info"} alert-soft text-base-content flex flex-col items-start gap-2 sm:flex-row sm:items-center`} data-testid="delivery-kept">
      <p className="text-sm">
        {keeping?.kept === "restored"
          ? "Restored from this browser's storage, where it was kept when you downloaded it, and checked against the chain again."
          : refused
            ? `This browser refused to keep the delivery (${keeping.reason}). ${exported ? "You exported it: keep that file until you have saved the model." : "Export it before accepting: once you accept, the seller is paid whether or not you still hold it."}`
            : "Kept in this browser's storage: a reload or a crash before you decrypt it loses nothing."}
      </p>
      <button type="button" className="btn btn-sm shrink-0" onClick={onExport}>
        Export the delivery
      </button>
    </div>
  );
}

function DownloadProgress({ state }: { state: DownloadState }) {
  if (state.phase === "failed") {
    return (
      <p role="alert" className="alert alert-error alert-soft text-base-content text-sm" data-testid="download-error">
        {state.error}
      </p>
    );
  }
  if (state.phase !== "downloading") return null;
  return (
    <div className="flex flex-col gap-1" data-testid="download-progress">
      <p role="status" className="text-sm">
        Downloaded {byteText(state.received)}
        {state.total === undefined ? "" : ` of ${byteText(state.total)}`} from the seller's worker
      </p>
      <progress className="progress progress-primary w-full" aria-label="Download progress" value={state.received} max={state.total ?? Math.max(state.received, 1)} />
    </div>
  );
}
