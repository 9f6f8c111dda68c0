/**
 * Which dispute circuit must prove a dispute, mirroring `DisputeVerifierRouter.verifierFor`
 * (contracts/verifiers/DisputeVerifierRouter.sol): a listing with at most the feature circuit's
 * feature count goes to the feature circuit (if the samples and feature width fit, else to
 * nothing), any other listing to the smallest digest-only circuit holding the sample count.
 * The audit's trust root is the set of verification keys given here (from the circuits'
 * setup), not the verifier contract the market happens to call: this is the one place that
 * chooses a key, so a change in the router's dispatch is made here too.
 */
import type { Groth16VerificationKey } from "snarkjs";

/** The verification keys of the shipped dispute circuits, with the bounds the router dispatches on. */
export interface DisputeCircuitKeys {
  /** Digest-only circuits (dispute_<N>), by size N; `vkey` is absent when the circuit ships but its key was not found. */
  readonly digestOnly: readonly { readonly size: number; readonly vkey?: Groth16VerificationKey }[];
  /** The feature circuit (dispute_<N>_f<F>), when one ships. */
  readonly featureCircuit?: {
    readonly maxSamples: number;
    readonly maxFeatures: number;
    readonly maxFeatureBits: number;
    /** Absent when the circuit ships but its key was not found: its disputes cannot be re-verified. */
    readonly vkey?: Groth16VerificationKey;
  };
}

/** What the dispatch reads from a dispute's context. */
export interface DisputeShape {
  readonly sampleCount: number;
  readonly featureCount: number;
  readonly featureBits: number;
}

export type DisputeCircuitChoice =
  | { readonly found: true; readonly circuit: string; readonly vkey: Groth16VerificationKey }
  | { readonly found: false; readonly reason: string };

/** The circuit (and its key) that must prove a dispute of this shape. */
export function disputeCircuitFor(keys: DisputeCircuitKeys, { sampleCount, featureCount, featureBits }: DisputeShape): DisputeCircuitChoice {
  const f = keys.featureCircuit;
  if (f !== undefined && featureCount <= f.maxFeatures) {
    const circuit = `dispute_${f.maxSamples}_f${f.maxFeatures}`;
    if (sampleCount <= f.maxSamples && featureBits <= f.maxFeatureBits) {
      return f.vkey ? { found: true, circuit, vkey: f.vkey } : { found: false, reason: `no verification key was given for ${circuit}` };
    }
    return { found: false, reason: `the feature circuit holds ${f.maxSamples} samples of ${f.maxFeatureBits}-bit features, not ${sampleCount} of ${featureBits} bits` };
  }
  const sizes = [...keys.digestOnly].sort((a, b) => a.size - b.size);
  const circuit = sizes.find((c) => sampleCount <= c.size);
  if (circuit) {
    const name = `dispute_${circuit.size}`;
    return circuit.vkey ? { found: true, circuit: name, vkey: circuit.vkey } : { found: false, reason: `no verification key was given for ${name}` };
  }
  const known = sizes.map((c) => c.size).join(", ") || "none";
  const featureNote = f === undefined ? "; no feature circuit key was given" : "";
  return { found: false, reason: `no verification key of a circuit holding ${sampleCount} samples (digest-only sizes: ${known}${featureNote})` };
}
