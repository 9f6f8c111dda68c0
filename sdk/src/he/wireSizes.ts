/**
 * The bytes a test-drive moves, computed from the plan's public summary and the sample count
 * alone (no SEAL, no encryption): what a buyer uploads (container.ts's upload: parameters,
 * relinearization keys, one seeded ciphertext per feature per batch) and what it gets back.
 * Exact for SEAL 4.1 with compression off, as BuyerSession and the engine serialize:
 * test/he/wireSizes.test.ts checks every formula against real containers.
 *
 * A size-2 ciphertext over k primes holds two polynomials of N 64-bit words per prime; a
 * seeded one (BuyerSession's default) keeps only the first and a seed. Relinearization keys
 * are one seeded ciphertext over the key level (data primes + the special prime) per data prime.
 */
import { batchCountFor } from "./container.ts";
import { chooseParameters, mayRelinearize, slotCount, type HeParameters } from "./parameters.ts";
import type { HePlanSummary } from "./plan.ts";

/** SEAL's serialization header, parms_id and fields around a ciphertext's data (compression none). */
const CIPHERTEXT_OVERHEAD = 113;
/** What a seeded ciphertext adds to that (the seed and its PRNG info). */
const SEED_OVERHEAD = 81;
/** The KSwitchKeys wrapper around the relinearization keys. */
const KEYS_OVERHEAD = 64;
/** container.ts: "MBHE", version, kind, 32-byte fingerprint. */
const CONTAINER_HEADER = 40;

export interface TestDriveTraffic {
  readonly parameters: HeParameters;
  readonly batches: number;
  /** Samples per batch (CKKS slots). */
  readonly slots: number;
  /** Ciphertexts the buyer encrypts and uploads: one per feature per batch. */
  readonly ciphertexts: number;
  readonly relinKeyBytes: number;
  /** The whole signed upload body. */
  readonly uploadBytes: number;
  /** The worker's result container. */
  readonly resultBytes: number;
}

/** Bytes of one serialized size-2 ciphertext over `primes` primes. */
export function ciphertextBytes(polyModulusDegree: number, primes: number, seeded: boolean): number {
  return seeded ? 8 * polyModulusDegree * primes + CIPHERTEXT_OVERHEAD + SEED_OVERHEAD : 16 * polyModulusDegree * primes + CIPHERTEXT_OVERHEAD;
}

/** Bytes of the serialized relinearization keys for `parameters` (0 when the plan needs none). */
export function relinKeyBytes(summary: HePlanSummary, parameters: HeParameters = chooseParameters(summary)): number {
  if (!mayRelinearize(summary)) return 0;
  const dataPrimes = parameters.coeffModulusBits.length - 1;
  return dataPrimes * ciphertextBytes(parameters.polyModulusDegree, dataPrimes + 1, true) + KEYS_OVERHEAD;
}

/** What a test-drive of `samples` samples uploads and downloads, for a plan with this summary. */
export function testDriveTraffic(summary: HePlanSummary, samples: number): TestDriveTraffic {
  const parameters = chooseParameters(summary);
  const slots = slotCount(parameters);
  const batches = batchCountFor(samples, slots);
  const n = parameters.polyModulusDegree;
  const dataPrimes = parameters.coeffModulusBits.length - 1;
  const keys = relinKeyBytes(summary, parameters);
  const ciphertexts = batches * summary.inputSize;
  // u32 N, u8 scaleBits, u8 maskScaleBits, u8 k, k chain bits | u32 keys length, keys | u32 samples, features, slots, batches | (u32 length, ciphertext)*
  const uploadBytes = CONTAINER_HEADER + 7 + parameters.coeffModulusBits.length + 4 + keys + 16 + ciphertexts * (4 + ciphertextBytes(n, dataPrimes, true));
  // u32 samples, outputs, slots, firstBatch, batches | (u32 length, ciphertext at the last level)*
  const resultBytes = CONTAINER_HEADER + 20 + batches * summary.outputSize * (4 + ciphertextBytes(n, 1, false));
  return { parameters, batches, slots, ciphertexts, relinKeyBytes: keys, uploadBytes, resultBytes };
}
