/**
 * The buyer's copy of a purchase's delivery in this browser: downloaded from the seller's
 * worker with progress (signed by the connected wallet; the SDK's fetchPurchaseDelivery), then
 * checked against the on-chain ciphertext root and the listing's model root (checkCiphertext),
 * and, once the key is on-chain, decrypted and every chunk compared with its model leaf
 * (checkDelivery): the verified ONNX file, or the proof a complaint takes. Kept in memory only:
 * the worker serves the delivery again until the purchase ends.
 */
import { useMemo, useState } from "react";
import type { Address, Hex } from "viem";
import { useConfig, usePublicClient } from "wagmi";
import { fetchPurchaseDelivery, type PurchaseView } from "@modelbazaar/sdk/actions";
import { checkCiphertext, checkDelivery, type CiphertextCheck, type DeliveryCheck, type ReceivedDelivery } from "@modelbazaar/sdk/delivery";
import { firstLine } from "../components/States.tsx";
import { deployment } from "../marketConfig.ts";
import { walletUploadSigner } from "../wallet/uploadSigner.ts";

export type DownloadState =
  | { readonly phase: "idle" }
  | { readonly phase: "downloading"; readonly received: number; readonly total?: number }
  | { readonly phase: "downloaded"; readonly delivery: ReceivedDelivery; readonly check: CiphertextCheck }
  | { readonly phase: "failed"; readonly error: string };

export function usePurchaseDelivery(view: PurchaseView | undefined, key: Hex | undefined) {
  const config = useConfig();
  const publicClient = usePublicClient();
  const [state, setState] = useState<DownloadState>({ phase: "idle" });

  async function download(buyer: Address) {
    if (!view || !publicClient) return;
    setState({ phase: "downloading", received: 0 });
    try {
      const { received } = await fetchPurchaseDelivery(publicClient, deployment, {
        signer: walletUploadSigner(config, buyer),
        context: { chainId: deployment.chainId, market: deployment.market },
        view,
        onProgress: (bytes, total) => setState({ phase: "downloading", received: bytes, ...(total === undefined ? {} : { total }) }),
      });
      setState({ phase: "downloaded", delivery: received, check: checkCiphertext(received) });
    } catch (error) {
      setState({ phase: "failed", error: firstLine(error) });
    }
  }

  const delivery = state.phase === "downloaded" && state.check.ok ? state.delivery : undefined;
  const decrypted: DeliveryCheck | undefined = useMemo(() => (delivery && key ? checkDelivery({ ...delivery, key }) : undefined), [delivery, key]);
  return { state, download, decrypted };
}
