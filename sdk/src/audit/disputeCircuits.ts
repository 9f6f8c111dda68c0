/**
 * Which circuit must prove a step of a refund dispute: Refund(N) and Open(N, 16) of the
 * smallest audited size holding the test (`RefundDisputes.sampleCircuitsFor`), and the contest
 * circuits of the family and shape `RefundDisputes.contestCircuitFor` names, from the SDK's
 * catalogue (CONTEST_LINEAR_CIRCUITS, CONTEST_SQUARE_MLP_CIRCUITS). The audit's trust root is
 * the set of verification keys given here (`RefundDisputeKeys`, from the circuits' setup), not
 * the verifier contracts the market happens to call: this is the one place that chooses a key,
 * so a change in the contract's choice of circuit is made here too.
 */
import type { Groth16VerificationKey } from "snarkjs";
import { CONTEST_LINEAR_CIRCUITS } from "../disputes/contestLinearInput.ts";
import { CONTEST_SQUARE_MLP_CIRCUITS } from "../disputes/contestSquareMlpInput.ts";
import { PlanFamily, type PlanFamilyCode } from "../disputes/planCommitment.ts";

/** The verification keys of the refund dispute's circuits. */
export interface RefundDisputeKeys {
  /** Refund(N) (`refund_<N>`) and Open(N, 16) (`open_<N>`) by size N; a key is absent when not found. */
  readonly sampleCircuits: readonly { readonly size: number; readonly refund?: Groth16VerificationKey; readonly open?: Groth16VerificationKey }[];
  /** Contest circuits by name (a name of CONTEST_CIRCUIT_SHAPES); a key is absent when not found. */
  readonly contest: Readonly<Record<string, Groth16VerificationKey | undefined>>;
}

/** A contest circuit's shape: the plan family, its feature capacity (exact for SquareMlp), hidden width (SquareMlp) and class capacity. */
export interface ContestCircuitSpec {
  readonly family: PlanFamilyCode;
  readonly features: number;
  readonly classes: number;
  readonly hidden?: number;
}

/** Every contest circuit the SDK knows, by name (CONTEST_LINEAR_CIRCUITS, CONTEST_SQUARE_MLP_CIRCUITS). */
export const CONTEST_CIRCUIT_SHAPES: Readonly<Record<string, ContestCircuitSpec>> = Object.freeze({
  ...Object.fromEntries(Object.entries(CONTEST_LINEAR_CIRCUITS).map(([name, s]) => [name, { family: PlanFamily.Linear, features: s.features, classes: s.classes }])),
  ...Object.fromEntries(Object.entries(CONTEST_SQUARE_MLP_CIRCUITS).map(([name, s]) => [name, { family: PlanFamily.SquareMlp, features: s.features, classes: s.classes, hidden: s.hidden }])),
});

/**
 * The v2 keys from a reader of checked-in keys (`circuits/artifacts/<name>/verification_key.json`),
 * for the shipped sample sizes and every contest circuit the SDK knows. What `bazaar audit`'s
 * key loader calls; a missing key stays absent, never guessed.
 */
export function refundDisputeKeys(read: (circuit: string) => Groth16VerificationKey | undefined, sampleSizes: readonly number[]): RefundDisputeKeys {
  return {
    sampleCircuits: sampleSizes.map((size) => ({ size, refund: read(`refund_${size}`), open: read(`open_${size}`) })),
    contest: Object.fromEntries(Object.keys(CONTEST_CIRCUIT_SHAPES).map((name) => [name, read(name)])),
  };
}

/** A v2 circuit the audit chose, with its key, or why it cannot re-verify with one. */
export type V2CircuitChoice =
  | { readonly found: true; readonly circuit: string; readonly vkey: Groth16VerificationKey }
  | { readonly found: false; readonly circuit?: string; readonly reason: string };

/**
 * The Refund (`kind` "refund") or Open ("open") circuit that must prove a v2 dispute of
 * `sampleCount` samples, mirroring `RefundDisputes.sampleCircuitsFor`: the smallest audited
 * size holding them.
 */
export function sampleCircuitFor(keys: RefundDisputeKeys | undefined, kind: "refund" | "open", sampleCount: number): V2CircuitChoice {
  if (keys === undefined) return { found: false, reason: "the audit was given no keys of the v2 refund circuits" };
  const sizes = [...keys.sampleCircuits].sort((a, b) => a.size - b.size);
  const fit = sizes.find((c) => sampleCount <= c.size);
  if (!fit) return { found: false, reason: `no ${kind} circuit key holds ${sampleCount} samples (sizes: ${sizes.map((c) => c.size).join(", ") || "none"})` };
  const circuit = `${kind}_${fit.size}`;
  const vkey = fit[kind];
  return vkey ? { found: true, circuit, vkey } : { found: false, circuit, reason: `no verification key was given for ${circuit}` };
}

/**
 * The contest circuits that may have proven a contest on a listing whose market picked a
 * circuit of `shape` (`RefundDisputes.contestCircuitFor`: family, features, classes), with
 * their keys: every SDK contest circuit of that family and size (SquareMlp circuits of the
 * same F and C differ only in the hidden width, which the plan commitment binds, so each
 * candidate is tried). Empty `keys` lists mean the audit cannot re-verify.
 */
export function contestCircuitsFor(keys: RefundDisputeKeys | undefined, shape: Omit<ContestCircuitSpec, "hidden">): { circuits: string[]; keys: { circuit: string; vkey: Groth16VerificationKey }[] } {
  const circuits = Object.entries(CONTEST_CIRCUIT_SHAPES)
    .filter(([, s]) => s.family === shape.family && s.features === shape.features && s.classes === shape.classes)
    .map(([name]) => name);
  const withKeys = circuits.flatMap((circuit) => {
    const vkey = keys?.contest[circuit];
    return vkey ? [{ circuit, vkey }] : [];
  });
  return { circuits, keys: withKeys };
}
