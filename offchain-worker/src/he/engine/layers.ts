/**
 * Evaluates the plan's layers on operand vectors (feature-major, no rotations):
 *
 * - linear: y_j = sum_i w_ji x_i + b_j as a sum of ciphertext x constant products (zero
 *   weights skipped; constants from {ConstantPlaintexts}, not encoded), all at the lowest
 *   level among the inputs (higher ones are mod-switched down, which also makes the products
 *   cheaper). Weight i is encoded at scale T / scale(x_i) with T = q * 2^scaleBits, q the
 *   prime the following rescale drops, so every product has scale exactly T and every output
 *   exactly 2^scaleBits after the rescale: scales never drift.
 * - fused linear (sdk/src/he/levels.ts): a linear layer whose square alone is read next is
 *   not rescaled; T = sqrt(q * 2^scaleBits) instead, so the square's rescale by q lands on
 *   2^scaleBits again: one 60-bit prime for two levels, weights kept to ~16 bits.
 * - monomials: x^2 = square(x) and x^3 = x^2 * x, each rescaled. Values the next layer never
 *   reads (its all-zero weight columns) are freed at once.
 * - an output with no non-zero weight (a constant Pad border, a pruned unit) is its bias plus
 *   one input times the smallest non-zero weight (the integer 1 at scale T / scale(x)): SEAL
 *   refuses the exact zero ciphertext (transparent), and x * scale(x) / T is no larger than
 *   the rounding of any weight of the layer.
 * - the plan's last linear layer computes the scores at 2^outputScaleBits (parameters.ts), below
 *   2^scaleBits when their magnitude would not fit q0 otherwise.
 *
 * Relinearization is lazy where it pays: a square may stay size 3 into the next linear layer,
 * whose sums are then relinearized once per output instead of once per input. A product with
 * a size-3 operand costs ~1.5x, so the plan picks, per layer, whichever of "relinearize the
 * n3 squares" and "pay 1.5x on their nnz3 products, then relinearize the outputs" costs
 * less (RELINEARIZE_COST in units of one ciphertext x plaintext product, measured ~5-7).
 * Either way it happens before a rescale (see lazyRelinearizationPays: precision).
 */
import { HeError, sealCall, readsInput, type LinearLayer, type MonomialsLayer, type PlanLayer, type RelinKeys } from "@modelbazaar/sdk/he";
import type { CiphertextStore } from "./ciphertextStore.ts";
import { drop, finishLinearOutput, hold, inSeal, type LinearTarget, modSwitchTo, relinearize, rescale, rowTerms, type OutputSink } from "./operandOps.ts";
import { batchesOf, deleteOperands, isLive, releaseOperand, type Operand, type OperandVector } from "./operands.ts";
import { linearByResidues } from "./residueLinear.ts";
import type { EngineContext } from "./runtime.ts";

export const RELINEARIZE_COST = 6;

/**
 * Whether relinearizing `layer`'s sums (before their rescale) beats relinearizing its size-3
 * inputs (`pending(i)`) one by one. Either way the relinearization happens before a rescale:
 * key switching adds noise of about L * N * sigma (~2^18 at N=16384), harmless at a scale of
 * 2^87 but 2^-9 of a value at scale 2^27, so a square is never relinearized after its rescale.
 */
export function lazyRelinearizationPays(layer: LinearLayer, pending: (input: number) => boolean): boolean {
  let inputs = 0;
  let products = 0;
  const reads = new Int32Array(layer.inputSize);
  for (const i of layer.inputs) reads[i]! += 1;
  for (let i = 0; i < layer.inputSize; ++i) {
    if (!pending(i) || reads[i] === 0) continue;
    inputs += 1;
    products += reads[i]!;
  }
  if (inputs === 0) return false;
  return 0.5 * products + RELINEARIZE_COST * layer.outputSize < RELINEARIZE_COST * inputs;
}

/**
 * The order a linear layer computes its outputs in, and when each input is read for the last
 * time: outputs sorted by the last input they read, so that an input can be freed as soon as
 * no later output reads it. A convolution then holds a band of its input image next to its
 * outputs, not the whole image (CryptoNets: ~0.8 GB less per batch at N=16384).
 */
export function linearSchedule(layer: LinearLayer): { order: number[]; lastReader: Int32Array } {
  const { rowStarts, inputs } = layer;
  const lastInput = Int32Array.from({ length: layer.outputSize }, (_, j) => (rowStarts[j + 1]! > rowStarts[j]! ? inputs[rowStarts[j + 1]! - 1]! : -1));
  const order = Array.from({ length: layer.outputSize }, (_, j) => j).sort((a, b) => lastInput[a]! - lastInput[b]! || a - b);
  const lastReader = new Int32Array(layer.inputSize).fill(-1);
  order.forEach((j, position) => {
    for (let k = rowStarts[j]!; k < rowStarts[j + 1]!; ++k) lastReader[inputs[k]!] = position;
  });
  return { order, lastReader };
}

/** retiring[position]: the inputs whose last reader is the output computed at `position`. */
function inputsByLastReader(lastReader: Int32Array, positions: number): number[][] {
  const retiring = Array.from({ length: positions }, (): number[] => []);
  lastReader.forEach((position, i) => {
    if (position >= 0) retiring[position]!.push(i);
  });
  return retiring;
}

/** The operands that hold ciphertexts (values a previous layer dropped because nothing reads them have none). */
export function liveOperands(vector: OperandVector): Operand[] {
  return vector.filter(isLive);
}

/**
 * y = W x + b. With `fused` (levels.ts: a square follows and only it is read), the sums are
 * not rescaled: they keep scale sqrt(q * 2^scaleBits), q the prime the following square's rescale drops.
 * Otherwise they have scale `outputScale` after their rescale (2^scaleBits but for the scores).
 * On the residue kernel when the runtime has one (residueLinear.ts), else with SEAL's products.
 * With `sink`, each output is handed to it as soon as it is complete (the next step streams them)
 * and the returned vector stays empty; `kernelBudgetBytes` bounds the kernel's accumulators.
 */
export function evaluateLinear(
  engine: EngineContext,
  layer: LinearLayer,
  inputs: OperandVector,
  keys: RelinKeys | undefined,
  fused = false,
  outputScale = engine.he.scale,
  { sink, kernelBudgetBytes }: { readonly sink?: OutputSink; readonly kernelBudgetBytes?: number } = {},
): OperandVector {
  if (inputs.length !== layer.inputSize) {
    throw new HeError("unsupported-plan", `Layer ${layer.source.join("+")} takes ${layer.inputSize} values, got ${inputs.length}.`);
  }
  return sealCall(`evaluating linear layer ${layer.source.join("+") || "(unnamed)"}`, () => {
    const live = liveOperands(inputs);
    for (const operand of live) relinearize(engine, operand, keys, true);
    const level = Math.min(...live.map((operand) => operand.level));
    if (live.length === 0 || level === 0) throw new HeError("unsupported-plan", "The plan is deeper than its encryption parameters: no level is left for a linear layer.");
    for (const operand of live) modSwitchTo(engine, operand, level);
    const target = fused ? Math.sqrt(engine.droppedPrime[level]! * engine.he.scale) : engine.droppedPrime[level]! * outputScale;
    const outputs: OperandVector = [];
    const complete: OutputSink = (j, output) => {
      try {
        finishLinearOutput(engine, output, linearTarget);
        if (sink) sink(j, output);
        else outputs[j] = output;
      } catch (error) {
        releaseOperand(output);
        throw error;
      }
    };
    const linearTarget: LinearTarget = { level, target, outputScale, fused, keys, complete };
    try {
      if (engine.kernel) linearByResidues(engine, engine.kernel, layer, inputs, linearTarget, kernelBudgetBytes);
      else linearBySeal(engine, layer, inputs, linearTarget);
    } catch (error) {
      deleteOperands(outputs.filter((output) => output !== undefined));
      throw error;
    } finally {
      deleteOperands(inputs);
    }
    return outputs;
  });
}

/** The layer with SEAL's ciphertext x constant products, one per non-zero weight and batch, output by output (every input brought into SEAL). */
function linearBySeal(engine: EngineContext, layer: LinearLayer, inputs: OperandVector, linearTarget: LinearTarget): void {
  const { level, target, complete } = linearTarget;
  const parmsId = engine.parmsIds[level]!;
  const { evaluator, constants } = engine;
  const live = liveOperands(inputs);
  for (const operand of live) inSeal(operand);
  const batches = batchesOf(live[0]!);
  const product = new engine.he.seal.Ciphertext();
  const { order, lastReader } = linearSchedule(layer);
  const retiring = inputsByLastReader(lastReader, order.length);
  let output: Operand | undefined;
  try {
    for (const [position, j] of order.entries()) {
      const sums = Array.from({ length: batches }, () => new engine.he.seal.Ciphertext());
      output = { ciphertexts: sums, level, scale: target, size: 2 };
      for (const [t, { input: i, integer }] of rowTerms(layer, inputs, j, target).entries()) {
        const input = inputs[i]!;
        constants.loadInteger(integer, target / input.scale, level, parmsId);
        for (let b = 0; b < batches; ++b) {
          if (t === 0) {
            evaluator.multiplyPlain(input.ciphertexts[b]!, constants.plaintext, sums[b]!);
            sums[b]!.setScale(target);
          } else {
            evaluator.multiplyPlain(input.ciphertexts[b]!, constants.plaintext, product);
            product.setScale(target);
            evaluator.addInplace(sums[b]!, product);
          }
        }
        output.size = Math.max(output.size, input.size) as 2 | 3;
      }
      if (constants.load(layer.bias[j]!, target, level, parmsId)) {
        for (const sum of sums) evaluator.addPlainInplace(sum, constants.plaintext);
      }
      for (const i of retiring[position]!) drop(inputs[i]!);
      const done = output;
      output = undefined;
      complete(j, done);
    }
  } catch (error) {
    if (output) deleteOperands([output]);
    throw error;
  } finally {
    product.delete();
  }
}

/** base * factor (or base^2), relinearized before the rescale unless `lazy` (then left size 3 for the next layer). */
function power(engine: EngineContext, base: Operand, factor: Operand | undefined, keys: RelinKeys | undefined, lazy = false): Operand {
  const { evaluator, he } = engine;
  const ciphertexts = base.ciphertexts.map((ciphertext, b) => {
    const out = new he.seal.Ciphertext();
    if (factor) evaluator.multiply(ciphertext, factor.ciphertexts[b]!, out);
    else evaluator.square(ciphertext, out);
    return out;
  });
  const operand: Operand = { ciphertexts, level: base.level, scale: base.scale * (factor ?? base).scale, size: 3, lazy };
  if (!lazy) relinearize(engine, operand, keys);
  rescale(engine, operand);
  return operand;
}

/** x^3 = x^2 * x: x^2 must be relinearized (SEAL's keys only reduce size 3), x brought down to its level. */
function cube(engine: EngineContext, x: Operand, square: Operand, keys: RelinKeys | undefined): Operand {
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
  try {
    return power(engine, square, lowered, keys);
  } finally {
    deleteOperands([lowered]);
  }
}

/** What the layer after a monomials layer does with its values. */
export interface MonomialsConsumer {
  /** Whether it reads output value v; values it does not read are freed as soon as possible. */
  readonly reads: (value: number) => boolean;
  /** Whether it relinearizes the squares lazily, after its sums (degree 2 only). */
  readonly lazy: boolean;
}

/** The next layer as a monomials layer's consumer (undefined: the plan's outputs, all read). */
export function consumerOf(layer: MonomialsLayer, next: PlanLayer | undefined): MonomialsConsumer {
  const n = layer.inputSize;
  const lazy = layer.degree === 2 && next?.kind === "linear" && lazyRelinearizationPays(next, (v) => v >= n && v < 2 * n);
  return { reads: (value) => readsInput(next, value), lazy };
}

/**
 * [x, x^2(, x^3)] of value `i` (a monomials layer's input) into `outputs` at i, n + i (and 2n + i).
 * Values the consumer does not read are freed at once (CryptoNets' dense layers read only the
 * squares: the other half would hold 1.3 GB per batch at N=16384); the others are moved to
 * `store` when there is one.
 */
export function monomialValues(
  engine: EngineContext,
  layer: MonomialsLayer,
  i: number,
  x: Operand,
  keys: RelinKeys | undefined,
  { reads, lazy }: MonomialsConsumer,
  outputs: OperandVector,
  store?: CiphertextStore,
): void {
  const n = layer.inputSize;
  if (!isLive(x)) throw new HeError("unsupported-plan", `Layer ${layer.source.join("+")} reads value ${i}, which an earlier layer dropped as unused.`);
  inSeal(x);
  relinearize(engine, x, keys);
  const made: Operand[] = [];
  try {
    const square = power(engine, x, undefined, keys, lazy && layer.degree === 2);
    made.push(square);
    if (layer.degree === 3) {
      const third = cube(engine, x, square, keys);
      made.push(third);
      outputs[2 * n + i] = reads(2 * n + i) ? hold(store, third) : drop(third);
    }
    outputs[n + i] = reads(n + i) ? hold(store, square) : drop(square);
    outputs[i] = reads(i) ? hold(store, x) : drop(x);
  } catch (error) {
    deleteOperands(made);
    throw error;
  }
}

/** [x, x^2(, x^3)] power by power (monomialValues), value by value. */
export function evaluateMonomials(
  engine: EngineContext,
  layer: MonomialsLayer,
  inputs: OperandVector,
  keys: RelinKeys | undefined,
  consumer: MonomialsConsumer = { reads: () => true, lazy: false },
  store?: CiphertextStore,
): OperandVector {
  if (inputs.length !== layer.inputSize) {
    throw new HeError("unsupported-plan", `Layer ${layer.source.join("+")} takes ${layer.inputSize} values, got ${inputs.length}.`);
  }
  return sealCall(`evaluating monomials layer ${layer.source.join("+") || "(unnamed)"}`, () => {
    const outputs: OperandVector = Array.from({ length: layer.inputSize * layer.degree });
    try {
      inputs.forEach((x, i) => monomialValues(engine, layer, i, x, keys, consumer, outputs, store));
    } catch (error) {
      deleteOperands(outputs.filter((output) => output !== undefined));
      throw error;
    }
    return outputs;
  });
}
