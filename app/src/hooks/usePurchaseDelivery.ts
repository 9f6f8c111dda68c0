/**
 * The buyer's copy of a purchase's delivery in this browser: downloaded from the seller's
 * worker with progress (signed by the connected wallet; the SDK's fetchPurchaseDelivery, which
 * takes no more than the on-chain model size's file), then checked against the on-chain
 * ciphertext root and the listing's model root (checkCiphertext), kept in IndexedDB
 * (kept/keptDeliveries.ts) BEFORE the page offers Accept, and, once the key is on-chain,
 * decrypted and every chunk compared with its model leaf (checkDelivery): the verified ONNX
 * file, or the proof a complaint takes. On a reload the kept copy is read back and checked
 * against the chain again, so nothing is downloaded twice and an accepted delivery is never lost.
 */
import { useEffect, useMemo, useState } from "react";
import type { Address, Hex } from "viem";
import { useConfig, usePublicClient } from "wagmi";
import { fetchPurchaseDelivery, receivedDelivery, type PurchaseView } from "@modelbazaar/sdk/actions";
import { checkCiphertext, checkDelivery, decodeDeliveryFile, type CiphertextCheck, type DeliveryCheck, type ReceivedDelivery } from "@modelbazaar/sdk/delivery";
import { firstLine } from "../components/States.tsx";
import { exportKeptDelivery, keepDelivery, keptDelivery, type DeliveryPlace } from "../kept/keptDeliveries.ts";
import { deployment } from "../marketConfig.ts";
import { walletUploadSigner } from "../wallet/uploadSigner.ts";

/** Where the checked delivery is kept: "kept" in this browser, "restored" from it, or why the browser refused ("refused"). */
export type KeptState = { readonly kept: "kept" | "restored" } | { readonly kept: "refused"; readonly reason: string };

export type DownloadState =
  | { readonly phase: "idle" }
  | { readonly phase: "restoring" }
  | { readonly phase: "downloading"; readonly received: number; readonly total?: number }
  | { readonly phase: "downloaded"; readonly delivery: ReceivedDelivery; readonly check: CiphertextCheck; readonly file: Uint8Array; readonly keeping?: KeptState }
  | { readonly phase: "failed"; readonly error: string };

export function usePurchaseDelivery(view: PurchaseView | undefined, key: Hex | undefined) {
  const config = useConfig();
  const publicClient = usePublicClient();
  const [state, setState] = useState<DownloadState>({ phase: "restoring" });
  const [exported, setExported] = useState(false);
  const purchaseId = view?.purchaseId;
  const committed = view?.ciphertextRoot;
  const place: DeliveryPlace | undefined = purchaseId === undefined ? undefined : { chainId: deployment.chainId, market: deployment.market, purchaseId };

  // A delivery kept by an earlier visit, checked against the chain again (read once per purchase and commitment).
  useEffect(() => {
    if (!view || !publicClient || committed === undefined) return setState({ phase: "idle" });
    let current = true;
    setState((s) => (s.phase === "idle" ? { phase: "restoring" } : s));
    void (async () => {
      const file = await keptDelivery({ chainId: deployment.chainId, market: deployment.market, purchaseId: view.purchaseId }).catch(() => undefined);
      if (!file) return current && setState((s) => (s.phase === "restoring" ? { phase: "idle" } : s));
      try {
        const delivery = await receivedDelivery(publicClient, deployment, view, decodeDeliveryFile(file), "the delivery kept in this browser");
        const check = checkCiphertext(delivery);
        if (current) setState((s) => (s.phase === "restoring" ? { phase: "downloaded", delivery, check, file, keeping: { kept: "restored" } } : s));
      } catch (error) {
        if (current) setState((s) => (s.phase === "restoring" ? { phase: "failed", error: `The delivery kept in this browser cannot be used (${firstLine(error)}): download it again.` } : s));
      }
    })();
    return () => {
      current = false;
    };
  }, [purchaseId, committed, publicClient]); // once per purchase and commitment, not at every block's new view

  async function download(buyer: Address) {
    if (!view || !publicClient || !place) return;
    setState({ phase: "downloading", received: 0 });
    try {
      const { received, file } = await fetchPurchaseDelivery(publicClient, deployment, {
        signer: walletUploadSigner(config, buyer),
        context: { chainId: deployment.chainId, market: deployment.market },
        view,
        onProgress: (bytes, total) => setState({ phase: "downloading", received: bytes, ...(total === undefined ? {} : { total }) }),
      });
      const check = checkCiphertext(received);
      const keeping: KeptState | undefined = check.ok ? await keepDelivery(place, file).then((): KeptState => ({ kept: "kept" }), (error: unknown): KeptState => ({ kept: "refused", reason: firstLine(error) })) : undefined;
      setState({ phase: "downloaded", delivery: received, check, file, ...(keeping ? { keeping } : {}) });
    } catch (error) {
      setState({ phase: "failed", error: firstLine(error) });
    }
  }

  function exportDelivery() {
    if (state.phase !== "downloaded" || !place) return;
    exportKeptDelivery(place, state.file);
    setExported(true);
  }

  const delivery = state.phase === "downloaded" && state.check.ok ? state.delivery : undefined;
  /** Accept only once the buyer holds the delivery beyond this page: kept in the browser, or exported. */
  const safe = state.phase === "downloaded" && state.check.ok && (state.keeping?.kept !== "refused" || exported);
  const decrypted: DeliveryCheck | undefined = useMemo(() => (delivery && key ? checkDelivery({ ...delivery, key }) : undefined), [delivery, key]);
  return { state, download, decrypted, safe, exported, exportDelivery };
}
