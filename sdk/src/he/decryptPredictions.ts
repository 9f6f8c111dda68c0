/**
 * A worker's encrypted result turned into what the buyer scores: the buyer's CKKS session
 * decrypts it (buyerSession.ts) and each valid sample's predicted class is its largest score
 * (argmax; a trailing Softmax is monotone). fetchPredictions.ts (Node, the CLI) and the
 * browser's HE Web Worker (browser/buyerHeWorker.ts) both decrypt through here.
 */
import type { BuyerSession } from "./buyerSession.ts";
import { argmax } from "./metrics.ts";

export interface DecryptedPredictions {
  readonly predictions: number[];
  /** Sample-major decrypted scores (sampleCount x outputs). */
  readonly scores: Float64Array;
  readonly outputs: number;
}

/** Throws HeError when the result cannot be decrypted under this session. */
export function decryptPredictions(session: BuyerSession, result: Uint8Array, sampleCount: number): DecryptedPredictions {
  const decrypted = session.decryptResult(result);
  const scores = decrypted.scores.subarray(0, sampleCount * decrypted.outputs);
  return { predictions: Array.from(argmax(scores, decrypted.outputs)), scores, outputs: decrypted.outputs };
}
