/**
 * Messages between a page and the buyer's HE Web Worker (buyerHeWorker.ts): encrypt a test set
 * under a fresh CKKS key (answering the upload and the secret key, which the page keeps), or
 * decrypt a worker's result with a kept secret key. Everything crosses by structured clone;
 * the plaintext features cross only from the page to its own worker, never to the network.
 */
import type { HePlanSummary } from "../plan.ts";

export type HeRequest =
  | {
      readonly type: "encrypt";
      readonly plan: HePlanSummary;
      /** Row-major features, sampleCount x plan.inputSize (the dequantized test set). */
      readonly features: Float64Array;
      readonly sampleCount: number;
    }
  | {
      readonly type: "decrypt";
      readonly plan: HePlanSummary;
      /** The key the "encrypt" request answered. */
      readonly secretKey: Uint8Array;
      readonly result: Uint8Array;
      readonly sampleCount: number;
    };

export type HeMessage =
  | { readonly type: "progress"; readonly done: number; readonly total: number }
  | { readonly type: "encrypted"; readonly upload: Uint8Array; readonly secretKey: Uint8Array }
  | { readonly type: "decrypted"; readonly predictions: number[] }
  | { readonly type: "error"; readonly message: string };
