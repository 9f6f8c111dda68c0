/**
 * What the worker does to the scores before they leave: the query-cap mask and the optional
 * output perturbation.
 *
 * Mask. Under slot batching the worker cannot see how many slots the buyer filled, so the
 * last batch's scores are multiplied by a plaintext that is 1 in the paid slots and 0 beyond:
 * only this enforces the query cap. It is encoded at scale 2^maskScaleBits and not rescaled
 * (the parameters reserve those bits in q0), so it costs no level. A zeroed slot decrypts to
 * encoding noise of order |score| * 2^-maskScaleBits, far below what could be read.
 *
 * Perturbation. Adds independent Gaussian noise of standard deviation sigma to every paid
 * score. It blurs the low-order digits that a buyer could use to solve for the weights from
 * many queries (model extraction), at the price of a noisier accuracy estimate. It does NOT
 * make SEAL's CKKS IND-CPA-D secure (a decryption that reaches the seller can still leak the
 * buyer's key: the buyer must never show decrypted results to the seller), gives no formal
 * circuit privacy (that would need noise flooding of ~2^40 times the ciphertext noise, i.e.
 * a much larger modulus), and does not stop an adversary who averages over repeated queries
 * of the same sample beyond its query cap.
 */
import { HeError } from "@modelbazaar/sdk/he";
import type { Operand } from "./operands.ts";
import type { EngineContext } from "./runtime.ts";

/** Multiplies the operands' ciphertexts of batch `batch` by a 0/1 mask keeping the first `valid` slots. */
export function maskBatch(engine: EngineContext, outputs: readonly Operand[], batch: number, valid: number): void {
  const { he, evaluator } = engine;
  const mask = paidSlotMask(he.slots, valid);
  const plaintext = new he.seal.Plaintext();
  try {
    he.encoder.encode(mask, 2 ** he.parameters.maskScaleBits, plaintext);
    let level = engine.topLevel;
    for (const output of outputs) {
      if (output.level !== level) {
        evaluator.plainModSwitchToInplace(plaintext, engine.parmsIds[output.level]!);
        level = output.level;
      }
      const ciphertext = output.ciphertexts[batch]!;
      evaluator.multiplyPlainInplace(ciphertext, plaintext);
      ciphertext.setScale(output.scale * 2 ** he.parameters.maskScaleBits);
    }
  } finally {
    plaintext.delete();
  }
}

/** The mask's values: 1 in the first `valid` of `slots` slots, 0 beyond (also what the extraction study applies in plaintext). */
export function paidSlotMask(slots: number, valid: number): Float64Array {
  const mask = new Float64Array(slots);
  mask.fill(1, 0, valid);
  return mask;
}

/** Standard normal samples from the platform's CSPRNG (Box-Muller). */
export function gaussianNoise(count: number, sigma: number): Float64Array {
  const uniform = new Uint32Array(2 * count);
  for (let offset = 0; offset < uniform.length; offset += 16384) {
    crypto.getRandomValues(uniform.subarray(offset, Math.min(uniform.length, offset + 16384)));
  }
  const noise = new Float64Array(count);
  for (let i = 0; i < count; ++i) {
    const u = (uniform[2 * i]! + 1) / 2 ** 32;
    const v = uniform[2 * i + 1]! / 2 ** 32;
    noise[i] = sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  return noise;
}

/**
 * The noise the perturbation adds to one output's `valid` paid scores: N(0, sigma^2) each, or
 * undefined when sigma is 0 (no perturbation). Throws on a sigma that is not a finite number >= 0.
 * (The extraction study adds exactly this to plaintext scores.)
 */
export function perturbationNoise(valid: number, sigma: number): Float64Array | undefined {
  if (!(sigma >= 0) || !Number.isFinite(sigma)) throw new HeError("invalid-argument", `The perturbation sigma must be a finite number >= 0, got ${sigma}.`);
  return sigma === 0 ? undefined : gaussianNoise(valid, sigma);
}

/** Adds N(0, sigma^2) noise to the first `valid` slots of batch `batch` of every output. */
export function perturbBatch(engine: EngineContext, outputs: readonly Operand[], batch: number, valid: number, sigma: number): void {
  if (perturbationNoise(0, sigma) === undefined) return; // validates sigma; 0: no perturbation
  const { he, evaluator } = engine;
  const plaintext = new he.seal.Plaintext();
  const values = new Float64Array(he.slots);
  try {
    for (const output of outputs) {
      const ciphertext = output.ciphertexts[batch]!;
      values.set(perturbationNoise(valid, sigma)!);
      he.encoder.encode(values, ciphertext.scale(), plaintext);
      evaluator.plainModSwitchToInplace(plaintext, engine.parmsIds[output.level]!);
      evaluator.addPlainInplace(ciphertext, plaintext);
    }
  } finally {
    plaintext.delete();
  }
}
