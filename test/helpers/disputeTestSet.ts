/**
 * A buyer's committed test set for dispute tests, drawn from a seeded generator: `n` labels
 * over the example task's classes, the first `correct` predictions right and the rest wrong,
 * a random features digest and salt (field elements). test/zk's dispute tests draw the same
 * shape of set inline; new tests use this one.
 */
import { toHex } from "viem";
import { TASK } from "./market.ts";

/** A random field element of 248 bits (below the BN254 scalar field). */
export function randomField(random: () => number): bigint {
  return BigInt(toHex(Uint8Array.from({ length: 31 }, () => Math.floor(random() * 256))));
}

export function disputeTestSet(random: () => number, n: number, correct: number) {
  const randInt = (below: number): number => Math.floor(random() * below);
  const labels = Array.from({ length: n }, () => randInt(TASK.classCount));
  const predictions = labels.map((label, i) => (i < correct ? label : (label + 1) % TASK.classCount));
  return { labels, predictions, featuresDigest: randomField(random), salt: randomField(random) };
}
