/**
 * The dispute prover in Node: from a dispute circuit's input (the refund, opening and contest
 * inputs of ../testDrives/refundCircuitInput.ts, openCircuitInput.ts and
 * ../disputes/contest*Input.ts) to a Groth16 proof in the shape `RefundDisputes` takes. The wasm and zkey are those of the
 * circuit the input was built for (circuits/artifacts/<name>/), as paths or bytes.
 */
import * as snarkjs from "snarkjs";
import { WITNESS_START, progressLogger, type ProgressListener } from "./provingProgress.ts";

/** `ITestDrives.Groth16Proof`: G1 points a and c, G2 point b with each coordinate's halves swapped. */
export interface MarketGroth16Proof {
  a: readonly [bigint, bigint];
  b: readonly [readonly [bigint, bigint], readonly [bigint, bigint]];
  c: readonly [bigint, bigint];
}

export interface DisputeProof {
  /** snarkjs's proof object (what snarkjs.groth16.verify takes). */
  proof: snarkjs.Groth16Proof;
  /** The circuit's public signals, as decimal strings. */
  publicSignals: snarkjs.PublicSignals;
  /** The proof as `claimRefund`, `openSamples` and `proveMismatch` take it. */
  calldata: MarketGroth16Proof;
}

type Artifact = string | Uint8Array;

/**
 * snarkjs's G2 points are [[x.c0, x.c1], [y.c0, y.c1]]; the EVM pairing precompile (and so the
 * generated verifier) reads each Fp2 coordinate as (c1, c0).
 */
export function toMarketProof(proof: snarkjs.Groth16Proof): MarketGroth16Proof {
  const g1 = (p: readonly string[]): readonly [bigint, bigint] => [BigInt(p[0]!), BigInt(p[1]!)];
  const b = proof.pi_b;
  return {
    a: g1(proof.pi_a),
    b: [
      [BigInt(b[0]![1]!), BigInt(b[0]![0]!)],
      [BigInt(b[1]![1]!), BigInt(b[1]![0]!)],
    ],
    c: g1(proof.pi_c),
  };
}

/**
 * Computes the witness and a Groth16 proof. Rejects when the input has no witness (for
 * instance accuracy at or above the claim: circom's "Assert Failed"). Ends snarkjs's worker
 * threads afterwards, so a Node process (or a Web Worker) is left with nothing running.
 * `onProgress` hears each proving phase once, in order, ending with `done` at 1.
 */
export async function proveDispute({
  input,
  wasm,
  zkey,
  onProgress,
}: {
  input: snarkjs.CircuitSignals;
  wasm: Artifact;
  zkey: Artifact;
  onProgress?: ProgressListener;
}): Promise<DisputeProof> {
  try {
    onProgress?.({ stage: "witness", fraction: WITNESS_START, detail: "computing the witness" });
    const logger = onProgress ? progressLogger(onProgress) : undefined;
    const { proof, publicSignals } = await snarkjs.groth16.fullProve(input, wasm, zkey, logger);
    onProgress?.({ stage: "done", fraction: 1, detail: "proof ready" });
    return { proof, publicSignals, calldata: toMarketProof(proof) };
  } finally {
    await terminateSnarkjsWorkers();
  }
}

/** Ends the worker threads snarkjs keeps for the BN254 curve (cached on globalThis). */
export async function terminateSnarkjsWorkers(): Promise<void> {
  // ffjavascript's terminate() also resets the cache to null.
  await (globalThis as { curve_bn128?: snarkjs.Curve | null }).curve_bn128?.terminate();
}
