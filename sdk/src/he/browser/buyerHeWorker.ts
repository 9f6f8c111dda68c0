/**
 * The buyer's CKKS work in a Web Worker, so the page never freezes and node-seal's WebAssembly
 * loads only when a test-drive needs it: encrypts a test set ciphertext by ciphertext (posting
 * progress) into an upload container and hands back the secret key with it, or decrypts a
 * result into predicted classes with a kept key. Started by heInWorker.ts.
 */
import { BuyerSession } from "../buyerSession.ts";
import { decryptPredictions } from "../decryptPredictions.ts";
import type { HeMessage, HeRequest } from "./workerProtocol.ts";

/** The part of DedicatedWorkerGlobalScope used here (the project compiles against the DOM lib). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<HeRequest>) => void) | null;
  postMessage(message: HeMessage): void;
}
const scope = globalThis as unknown as WorkerScope;
const post = (message: HeMessage): void => scope.postMessage(message);

/** Progress reports per test set: about this many, however many ciphertexts. */
const PROGRESS_STEPS = 20;

scope.onmessage = ({ data }) => {
  void run(data).then(post, (error: unknown) => post({ type: "error", message: error instanceof Error ? error.message : String(error) }));
};

async function run(request: HeRequest): Promise<HeMessage> {
  if (request.type === "decrypt") {
    const session = await BuyerSession.create(request.plan, { secretKey: request.secretKey });
    try {
      return { type: "decrypted", predictions: decryptPredictions(session, request.result, request.sampleCount).predictions };
    } finally {
      session.delete();
    }
  }
  const { plan, features, sampleCount } = request;
  const session = await BuyerSession.create(plan);
  try {
    const total = session.ciphertextCount(sampleCount);
    const step = Math.max(1, Math.ceil(total / PROGRESS_STEPS));
    const ciphertexts: Uint8Array[] = [];
    for (let first = 0; first < total; first += step) {
      ciphertexts.push(...session.encryptCiphertexts(features, sampleCount, { first, count: Math.min(step, total - first) }));
      post({ type: "progress", done: ciphertexts.length, total });
    }
    return { type: "encrypted", upload: session.packUpload(ciphertexts, sampleCount), secretKey: session.exportSecretKey() };
  } finally {
    session.delete();
  }
}
