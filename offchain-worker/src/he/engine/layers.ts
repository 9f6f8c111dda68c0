/**
 * Evaluates the plan's layers on operand vectors (feature-major, no rotations):
 *
 * - linear: y_j = sum_i w_ji x_i + b_j as a sum of ciphertext x constant products (zero
 *   weights skipped; constants from {ConstantPlaintexts}, not encoded), all at the lowest
 *   level among the inputs (higher ones are mod-switched down, which also makes the products
 *   cheaper). Weight i is encoded at scale T / scale(x_i) with T = q * 2^scaleBits, q the
 *   prime the following rescale drops, so every product has scale exactly T and every output
 *   exactly 2^scaleBits after the rescale: scales never drift.
 * - monomials: x^2 = square(x) and x^3 = x^2 * x, each rescaled.
 *
 * Relinearization is lazy where it pays: a square may stay size 3 into the next linear layer,
 * whose sums are then relinearized once per output instead of once per input. A product with
 * a size-3 operand costs ~1.5x, so the layer picks, per layer, whichever of "relinearize the
 * n3 inputs now" and "pay 1.5x on their nnz3 products, then relinearize the outputs" costs
 * less (RELINEARIZE_COST in units of one ciphertext x plaintext product, measured ~5-7).
 */
import { HeError, sealCall } from "../../../../sdk/src/he/heError.ts";
import type { LinearLayer, MonomialsLayer } from "../../../../sdk/src/he/plan.ts";
import type { RelinKeys } from "../../../../sdk/src/he/seal.ts";
import { deleteOperands, type Operand, type OperandVector } from "./operands.ts";
import type { EngineContext } from "./runtime.ts";

export const RELINEARIZE_COST = 6;

function relinearize(engine: EngineContext, operand: Operand, keys: RelinKeys | undefined): void {
  if (operand.size <= 2) return;
  if (!keys) throw new HeError("missing-keys", "The plan multiplies ciphertexts, but the upload carries no relinearization keys.");
  for (const ciphertext of operand.ciphertexts) engine.evaluator.relinearizeInplace(ciphertext, keys);
  operand.size = 2;
}

function modSwitchTo(engine: EngineContext, operand: Operand, level: number): void {
  if (operand.level === level) return;
  for (const ciphertext of operand.ciphertexts) engine.evaluator.cipherModSwitchToInplace(ciphertext, engine.parmsIds[level]!);
  operand.level = level;
}

function rescale(engine: EngineContext, operand: Operand): void {
  if (operand.level === 0) {
    throw new HeError("unsupported-plan", "The plan is deeper than its encryption parameters: no level is left to rescale.");
  }
  const prime = engine.droppedPrime[operand.level]!;
  for (const ciphertext of operand.ciphertexts) engine.evaluator.rescaleToNextInplace(ciphertext);
  operand.level -= 1;
  operand.scale /= prime;
  for (const ciphertext of operand.ciphertexts) ciphertext.setScale(operand.scale);
}

/** Whether relinearizing after the sums beats relinearizing the size-3 inputs now. */
function lazyPays(layer: LinearLayer, inputs: OperandVector): boolean {
  let pending = 0;
  let pendingProducts = 0;
  inputs.forEach((operand, i) => {
    if (operand.size <= 2) return;
    pending += 1;
    for (let j = 0; j < layer.outputSize; ++j) if (layer.weights[j * layer.inputSize + i] !== 0) pendingProducts += 1;
  });
  if (pending === 0) return false;
  return 0.5 * pendingProducts + RELINEARIZE_COST * layer.outputSize < RELINEARIZE_COST * pending;
}

export function evaluateLinear(engine: EngineContext, layer: LinearLayer, inputs: OperandVector, keys: RelinKeys | undefined): OperandVector {
  if (inputs.length !== layer.inputSize) {
    throw new HeError("unsupported-plan", `Layer ${layer.source.join("+")} takes ${layer.inputSize} values, got ${inputs.length}.`);
  }
  return sealCall(`evaluating linear layer ${layer.source.join("+") || "(unnamed)"}`, () => {
    if (!lazyPays(layer, inputs)) for (const operand of inputs) relinearize(engine, operand, keys);
    const level = Math.min(...inputs.map((operand) => operand.level));
    if (level === 0) throw new HeError("unsupported-plan", "The plan is deeper than its encryption parameters: no level is left for a linear layer.");
    for (const operand of inputs) modSwitchTo(engine, operand, level);
    const target = engine.droppedPrime[level]! * engine.he.scale;
    const parmsId = engine.parmsIds[level]!;
    const { evaluator, constants } = engine;
    const batches = inputs[0]!.ciphertexts.length;
    const product = new engine.he.seal.Ciphertext();
    const outputs: OperandVector = [];
    try {
      for (let j = 0; j < layer.outputSize; ++j) {
        const sums = Array.from({ length: batches }, () => new engine.he.seal.Ciphertext());
        const output: Operand = { ciphertexts: sums, level, scale: target, size: 2 };
        outputs.push(output);
        let terms = 0;
        for (let i = 0; i < layer.inputSize; ++i) {
          const weight = layer.weights[j * layer.inputSize + i]!;
          const input = inputs[i]!;
          if (weight === 0 || !constants.load(weight, target / input.scale, level, parmsId)) continue;
          for (let b = 0; b < batches; ++b) {
            if (terms === 0) {
              evaluator.multiplyPlain(input.ciphertexts[b]!, constants.plaintext, sums[b]!);
              sums[b]!.setScale(target);
            } else {
              evaluator.multiplyPlain(input.ciphertexts[b]!, constants.plaintext, product);
              product.setScale(target);
              evaluator.addInplace(sums[b]!, product);
            }
          }
          output.size = Math.max(output.size, input.size);
          terms += 1;
        }
        if (terms === 0) {
          throw new HeError("unsupported-plan", `Output ${j} of layer ${layer.source.join("+")} has no non-zero weight; fold the constant into the next layer.`);
        }
        if (constants.load(layer.bias[j]!, target, level, parmsId)) {
          for (const sum of sums) evaluator.addPlainInplace(sum, constants.plaintext);
        }
        relinearize(engine, output, keys);
        rescale(engine, output);
        output.scale = engine.he.scale;
        for (const sum of sums) sum.setScale(output.scale);
      }
    } catch (error) {
      deleteOperands(outputs);
      throw error;
    } finally {
      product.delete();
    }
    deleteOperands(inputs);
    return outputs;
  });
}

function power(engine: EngineContext, base: Operand, factor: Operand | undefined, keys: RelinKeys | undefined): Operand {
  const { evaluator, he } = engine;
  const ciphertexts = base.ciphertexts.map((ciphertext, b) => {
    const out = new he.seal.Ciphertext();
    if (factor) evaluator.multiply(ciphertext, factor.ciphertexts[b]!, out);
    else evaluator.square(ciphertext, out);
    return out;
  });
  const operand: Operand = { ciphertexts, level: base.level, scale: base.scale * (factor ?? base).scale, size: 3 };
  if (factor) relinearize(engine, operand, keys);
  rescale(engine, operand);
  return operand;
}

export function evaluateMonomials(engine: EngineContext, layer: MonomialsLayer, inputs: OperandVector, keys: RelinKeys | undefined): OperandVector {
  if (inputs.length !== layer.inputSize) {
    throw new HeError("unsupported-plan", `Layer ${layer.source.join("+")} takes ${layer.inputSize} values, got ${inputs.length}.`);
  }
  return sealCall(`evaluating monomials layer ${layer.source.join("+") || "(unnamed)"}`, () => {
    for (const operand of inputs) relinearize(engine, operand, keys);
    const squares = inputs.map((x) => power(engine, x, undefined, keys));
    if (layer.degree === 2) return [...inputs, ...squares];
    // x^3 = x^2 * x: x^2 must be relinearized (SEAL's keys only reduce size 3), x brought down to its level.
    const cubes = inputs.map((x, i) => {
      const square = squares[i]!;
      relinearize(engine, square, keys);
      const lowered: Operand = {
        ciphertexts: x.ciphertexts.map((ciphertext) => {
          const copy = new engine.he.seal.Ciphertext();
          engine.evaluator.cipherModSwitchTo(ciphertext, engine.parmsIds[square.level]!, copy);
          return copy;
        }),
        level: square.level,
        scale: x.scale,
        size: 2,
      };
      const cube = power(engine, square, lowered, keys);
      deleteOperands([lowered]);
      return cube;
    });
    return [...inputs, ...squares, ...cubes];
  });
}
