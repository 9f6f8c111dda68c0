/**
 * A buyer's kept test set for refund tests, drawn from a seeded generator: `n` labels over the
 * example task's classes, the first `correct` predictions right and the rest wrong, quantized
 * features of `task`'s shape, and a salt (a field element).
 */
import { toHex } from "viem";
import type { KeptTestSet } from "@modelbazaar/sdk/actions";
import { TASK } from "./market.ts";

/** A random field element of 248 bits (below the BN254 scalar field). */
export function randomField(random: () => number): bigint {
  return BigInt(toHex(Uint8Array.from({ length: 31 }, () => Math.floor(random() * 256))));
}

export function disputeTestSet(random: () => number, n: number, correct: number, task: { featureCount: number; featureBits: number } = TASK): KeptTestSet {
  const randInt = (below: number): number => Math.floor(random() * below);
  const labels = Array.from({ length: n }, () => randInt(TASK.classCount));
  const predictions = labels.map((label, i) => (i < correct ? label : (label + 1) % TASK.classCount));
  const quantized = labels.map(() => Array.from({ length: task.featureCount }, () => randInt(2 ** task.featureBits)));
  return { quantized, labels, predictions, salt: randomField(random) };
}
