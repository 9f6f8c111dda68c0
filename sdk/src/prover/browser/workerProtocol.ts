/**
 * Messages between the page and the dispute-proof Web Worker (disputeProofWorker.ts).
 * Everything crosses by structured clone, which carries the proof's bigints as they are.
 */
import type { CircuitSignals } from "snarkjs";
import type { DisputeProof } from "../disputeProof.ts";
import type { ProvingProgress } from "../provingProgress.ts";

export interface ProveRequest {
  /** The circuit's input signals: a refund, opening or contest input (disputeProof.ts). */
  readonly input: CircuitSignals;
  /** URLs of the circuit's witness generator and proving key (served as static files). */
  readonly wasmUrl: string;
  readonly zkeyUrl: string;
}

export type ProverMessage =
  | { readonly type: "progress"; readonly progress: ProvingProgress }
  | { readonly type: "result"; readonly proof: DisputeProof }
  | { readonly type: "error"; readonly message: string };
