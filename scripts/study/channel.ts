/**
 * The test-drive channel as an attacker meets it: queries are split into test-drives of at
 * most the listing's maxSamples; each test-drive's scores go through the worker's own output
 * step (offchain-worker/src/he/engine/outputs.ts: per batch of `slots` samples, the
 * perturbation noise on the paid slots, then the 0/1 mask beyond them), with decryption
 * replaced by reading the plaintext scores (planScores.ts) plus a stand-in for CKKS's error.
 * Rounding and top-1, which the worker cannot do on ciphertexts, are applied last.
 */
import { argmax } from "../train/metrics.ts";
import { gaussianNoise, paidSlotMask, perturbationNoise } from "../../offchain-worker/src/he/engine/outputs.ts";
import type { DefenceSetting } from "./defences.ts";

export interface ChannelAnswer {
  /** Sample-major scores as the buyer reads them; undefined under top-1 (only labels come back). */
  readonly scores: Float64Array | undefined;
  /** Each sample's top-1 class as the buyer reads it. */
  readonly labels: Uint8Array;
  readonly testDrives: number;
}

export interface ChannelShape {
  readonly classes: number;
  /** CKKS slots per batch (the plan's ring degree / 2). */
  readonly slots: number;
  /** The listing's maxSamples: the largest test-drive. */
  readonly maxSamples: number;
}

/** What `count` queries with these exact (sample-major) scores return under `setting`. */
export function answerQueries(exact: Float64Array, count: number, shape: ChannelShape, setting: DefenceSetting): ChannelAnswer {
  const { classes } = shape;
  const perTest = Math.min(shape.maxSamples, setting.maxSamplesPerTest ?? shape.maxSamples);
  if (!(Number.isInteger(perTest) && perTest >= 1)) throw new RangeError(`A test-drive must hold at least one sample, got ${perTest}.`);
  const read = new Float64Array(count * classes);
  let testDrives = 0;
  for (let first = 0; first < count; first += perTest, testDrives++) {
    const paid = Math.min(perTest, count - first);
    for (let batch = 0; batch * shape.slots < paid; batch++) {
      const start = first + batch * shape.slots;
      const valid = Math.min(shape.slots, paid - batch * shape.slots);
      workerBatch(exact, read, start, valid, shape, setting);
    }
  }
  const scores = setting.decimals === undefined ? read : read.map((v) => roundTo(v, setting.decimals!));
  return { scores: setting.top1 ? undefined : scores, labels: argmax(scores, classes), testDrives };
}

/** One batch of one test-drive through the worker's output step, each class (output ciphertext) in turn. */
function workerBatch(exact: Float64Array, read: Float64Array, start: number, valid: number, { classes, slots }: ChannelShape, setting: DefenceSetting): void {
  const mask = paidSlotMask(slots, valid);
  const slotValues = new Float64Array(slots);
  for (let c = 0; c < classes; c++) {
    slotValues.fill(0);
    for (let i = 0; i < valid; i++) slotValues[i] = exact[(start + i) * classes + c]!;
    const noise = perturbationNoise(valid, setting.sigma);
    if (noise) for (let i = 0; i < valid; i++) slotValues[i]! += noise[i]!;
    if (valid < slots) for (let i = 0; i < slots; i++) slotValues[i]! *= mask[i]!;
    const decryption = setting.decryptionError ? gaussianNoise(valid, setting.decryptionError) : undefined;
    for (let i = 0; i < valid; i++) read[(start + i) * classes + c] = slotValues[i]! + (decryption?.[i] ?? 0);
  }
}

function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
