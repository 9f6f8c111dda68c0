/**
 * What one batch of a plan costs, counted: the operations (SEAL's and the residue kernel's) of a test-drive on one batch,
 * step by step and by level. The buyer's steps (encryption, decryption) and
 * the worker's (evaluateUpload's steps: "load", each layer as "linear 0", "monomials 1", ...,
 * then "finish") are followed through the engine's own decisions (fused linear + square,
 * lazy relinearization, unread values dropped) using the helpers layers.ts and levels.ts
 * export, so the counts are the engine's. Linear layers are counted on the path the runtime
 * takes: the residue kernel's reads, multiply-adds and writes, or SEAL's per-weight products
 * (runtime.ts). operationCosts.ts prices them on this machine.
 *
 * Counts are per batch, except the constant plaintexts of SEAL's linear path, which the engine
 * makes once per group of batches: counting them per batch slightly overestimates large jobs.
 */
import { fusedWithSquare, type HeParameters, type HePlan, type LinearLayer, type MonomialsLayer } from "@modelbazaar/sdk/he";
import { consumerOf } from "./layers.ts";
import type { LinearKernel } from "./runtime.ts";

export type Operation =
  | "encrypt" // encode + seeded symmetric encryption + serialization of one ciphertext
  | "load" // the worker's parse (and seed expansion) of one uploaded ciphertext
  | "constant" // one constant plaintext made from its template
  | "product" // ciphertext x plaintext product added to a running sum
  | "readResidues" // the residue kernel: one size-2 input ciphertext serialized into its memory (size 3: 1.5)
  | "multiplyAdd" // the residue kernel: one modular multiply-add of a weight and a residue into an accumulator
  | "writeResidues" // the residue kernel: one size-2 output reduced, its bias added, made a ciphertext (size 3: 1.5)
  | "multiply" // ciphertext x ciphertext (a square or a cube's second factor)
  | "relinearize"
  | "rescale"
  | "modSwitch" // one level down
  | "decrypt"; // decrypt + decode one result ciphertext

export interface OperationCount {
  readonly operation: Operation;
  /** Chain index the operation runs at (0: the last level, q0 only). */
  readonly level: number;
  /** How many, per batch (fractional: a product, read or write of a size-3 ciphertext counts 1.5). */
  readonly count: number;
}

export interface WorkStep {
  /** "encrypt", "decrypt" (buyer) or evaluateUpload's step name (worker). */
  readonly step: string;
  readonly side: "buyer" | "worker";
  /** What the step does, for progress lines, e.g. "linear 784 -> 845, 20480 products". */
  readonly description: string;
  readonly operations: readonly OperationCount[];
}

/** A value of the operand vector as the engine holds it between layers. */
interface Value {
  level: number;
  size: 2 | 3;
  lazy: boolean;
  live: boolean;
}

/** Accumulates operation counts of one step by (operation, level). */
class Tally {
  private readonly counts = new Map<string, OperationCount>();

  add(operation: Operation, level: number, count = 1): void {
    if (count === 0) return;
    const key = `${operation}@${level}`;
    const previous = this.counts.get(key)?.count ?? 0;
    this.counts.set(key, { operation, level, count: previous + count });
  }

  list(): OperationCount[] {
    return [...this.counts.values()];
  }
}

/** The steps of a test-drive on one batch of `plan` under `parameters`, linear layers on `kernel`'s path, in the order they run. */
export function planWork(plan: HePlan, parameters: HeParameters, kernel: LinearKernel): WorkStep[] {
  const top = parameters.coeffModulusBits.length - 2;
  const steps: WorkStep[] = [];
  steps.push({ step: "encrypt", side: "buyer", description: `${plan.inputSize} ciphertexts`, operations: [{ operation: "encrypt", level: top, count: plan.inputSize }] });
  steps.push({ step: "load", side: "worker", description: `${plan.inputSize} ciphertexts`, operations: [{ operation: "load", level: top, count: plan.inputSize }] });
  let values: Value[] = Array.from({ length: plan.inputSize }, () => ({ level: top, size: 2, lazy: false, live: true }));
  plan.layers.forEach((layer, index) => {
    const tally = new Tally();
    let description: string;
    if (layer.kind === "linear") {
      const { products, output } = linearWork(tally, layer, values, fusedWithSquare(plan.layers, index), kernel, parameters.polyModulusDegree);
      description = `linear ${layer.inputSize} -> ${layer.outputSize}, ${products} products${kernel === "residues" ? " on the residue kernel" : ""}`;
      values = Array.from({ length: layer.outputSize }, () => ({ ...output }));
    } else {
      values = monomialsWork(tally, layer, values, consumerOf(layer, plan.layers[index + 1]));
      description = `monomials ${layer.inputSize} -> ${layer.inputSize * layer.degree} (${layer.activation.op})`;
    }
    steps.push({ step: `${layer.kind} ${index}`, side: "worker", description, operations: tally.list() });
  });
  const finish = new Tally();
  const outputs = values.filter((value) => value.live);
  for (const value of outputs) {
    for (let level = value.level; level > 0; --level) finish.add("modSwitch", level);
    finish.add("product", 0); // the mask
  }
  steps.push({ step: "finish", side: "worker", description: `${outputs.length} result ciphertexts`, operations: finish.list() });
  steps.push({ step: "decrypt", side: "buyer", description: `${plan.outputSize} ciphertexts`, operations: [{ operation: "decrypt", level: 0, count: plan.outputSize }] });
  return steps;
}

/**
 * Counts y = Wx + b (evaluateLinear) on `kernel`'s path; returns its products (non-zero weights,
 * or the unit weight of a constant output) per batch and the state of every output. SEAL's
 * path: per product a constant and a ciphertext x constant product, per non-zero bias a
 * constant. The residue kernel's (residueLinear.ts): each input read reads its residues once,
 * each product is polys x N x primes multiply-adds, each output is written once (bias included).
 */
function linearWork(tally: Tally, layer: LinearLayer, inputs: Value[], fused: boolean, kernel: LinearKernel, n: number): { products: number; output: Value } {
  const live = inputs.filter((value) => value.live);
  for (const value of live) {
    if (value.size === 3 && !value.lazy) {
      tally.add("relinearize", value.level);
      value.size = 2;
    }
  }
  const level = Math.min(...live.map((value) => value.level));
  for (const value of live) for (let l = value.level; l > level; --l) tally.add("modSwitch", l);
  const read = new Set<number>();
  const product = (input: number): void => {
    const size = inputs[input]!.size;
    if (kernel === "seal") {
      tally.add("constant", level);
      tally.add("product", level, size / 2);
    } else {
      read.add(input);
      tally.add("multiplyAdd", level, size * n * (level + 1));
    }
  };
  let products = 0;
  let widest: 2 | 3 = 2;
  for (let j = 0; j < layer.outputSize; ++j) {
    let outputSize: 2 | 3 = 2;
    let terms = 0;
    for (let k = layer.rowStarts[j]!; k < layer.rowStarts[j + 1]!; ++k) {
      if (layer.weights[k] === 0) continue;
      const input = layer.inputs[k]!;
      product(input);
      if (inputs[input]!.size === 3) outputSize = 3;
      terms += 1;
    }
    if (terms === 0) {
      // A constant output: one input times the unit constant (operandOps.ts).
      const carrier = inputs.findIndex((value) => value.live);
      product(carrier);
      outputSize = inputs[carrier]!.size;
      terms = 1;
    }
    products += terms;
    if (kernel === "seal" && layer.bias[j] !== 0) tally.add("constant", level);
    if (kernel === "residues") tally.add("writeResidues", level, outputSize / 2);
    if (outputSize === 3) widest = 3;
    if (fused) continue;
    if (outputSize === 3) tally.add("relinearize", level);
    tally.add("rescale", level);
  }
  for (const input of read) tally.add("readResidues", level, inputs[input]!.size / 2);
  const output: Value = fused ? { level, size: widest, lazy: false, live: true } : { level: level - 1, size: 2, lazy: false, live: true };
  return { products, output };
}

/** Counts [x, x^2(, x^3)] (evaluateMonomials); returns the values it leaves. */
function monomialsWork(tally: Tally, layer: MonomialsLayer, inputs: Value[], consumer: ReturnType<typeof consumerOf>): Value[] {
  const n = layer.inputSize;
  const lazy = consumer.lazy && layer.degree === 2;
  const outputs: Value[] = [];
  inputs.forEach((x, i) => {
    if (x.size === 3) tally.add("relinearize", x.level);
    tally.add("multiply", x.level);
    if (!lazy) tally.add("relinearize", x.level);
    tally.add("rescale", x.level);
    const square: Value = { level: x.level - 1, size: lazy ? 3 : 2, lazy, live: consumer.reads(n + i) };
    if (layer.degree === 3) {
      tally.add("modSwitch", x.level);
      tally.add("multiply", square.level);
      tally.add("relinearize", square.level);
      tally.add("rescale", square.level);
      outputs[2 * n + i] = { level: square.level - 1, size: 2, lazy: false, live: consumer.reads(2 * n + i) };
    }
    outputs[n + i] = square;
    outputs[i] = { level: x.level, size: 2, lazy: false, live: consumer.reads(i) };
  });
  return outputs;
}
