/**
 * A linear layer y = W x + b on the ciphertexts' residues, in one pass: per RNS prime, in NTT
 * form, the layer is an integer matrix product over the residue vectors (each weight is a
 * scalar constant, the same residue in every coefficient), so SEAL's per-weight ciphertext x
 * constant products (a JS -> WASM call, a constant plaintext and a product ciphertext each)
 * become one kernel call per chunk of inputs and batch (residueKernelWasm.ts).
 *
 * Inputs are read in order, CHUNK at a time, each ciphertext serialized once per layer (not
 * once per output that reads it); every output reading an input of the chunk accumulates all
 * of its terms from the chunk in one call, lazily reduced. An output opens at its first
 * input's chunk and closes after its last: then its accumulator is reduced, the bias added,
 * and it becomes a SEAL ciphertext again (scale exactly `target`, as with SEAL's products),
 * and is relinearized and rescaled as before. A convolution so holds only a band of
 * accumulators, and each input is freed as soon as it is read.
 *
 * The kernel's memory never shrinks, so a budget bounds the accumulators: when a layer's band
 * (or a dense layer's outputs) does not fit, its outputs are computed in passes, each over the
 * inputs its outputs read (an input read by two passes is read twice; every product is made
 * once). Inputs may be held outside SEAL (operands.ts): their residues are then copied from
 * their serialization without a SEAL object.
 *
 * The sums are the same integers mod q that SEAL's products and additions give: the outputs
 * are identical, bit for bit (test/he/engineResidues.test.ts).
 */
import type { LinearLayer } from "@modelbazaar/sdk/he";
import { CiphertextWriter, readResidues } from "./ciphertextResidues.ts";
import { constantInteger, residue } from "./constantPlaintexts.ts";
import { linearSchedule } from "./layers.ts";
import { drop, rowTerms, type LinearTarget } from "./operandOps.ts";
import { batchesOf, type Operand, type OperandVector } from "./operands.ts";
import { shoupCompanion, type ResidueKernel } from "./residueKernel.ts";
import type { EngineContext } from "./runtime.ts";

/** Inputs read per kernel call: each output's accumulator is loaded once per chunk for up to this many terms. */
export const CHUNK = 16;
/** Coefficients per block: a block of every input of a chunk and one accumulator block stay in the core's caches. */
export const BLOCK = 512;

interface Term {
  readonly output: number;
  /** Per prime: c = weight mod q, then Shoup's companion of c. */
  readonly words: readonly bigint[];
}

/** The weights as terms per input (zero integers skipped; a constant output reads one input times 1: operandOps.ts), and what each output becomes. */
function termsOf(layer: LinearLayer, inputs: OperandVector, moduli: readonly bigint[], target: number): { columns: Term[][]; sizes: Int32Array } {
  const columns = Array.from({ length: layer.inputSize }, (): Term[] => []);
  const sizes = new Int32Array(layer.outputSize).fill(2);
  for (let j = 0; j < layer.outputSize; ++j) {
    for (const { input, integer } of rowTerms(layer, inputs, j, target)) {
      columns[input]!.push({ output: j, words: moduli.flatMap((q) => [residue(integer, q), shoupCompanion(residue(integer, q), q)]) });
      sizes[j] = Math.max(sizes[j]!, inputs[input]!.size);
    }
  }
  return { columns, sizes };
}

/** Accumulator slots: outputs open at their first chunk and free their slot after their last (outputs without terms here are left out). */
function assignSlots(chunks: readonly number[][], columns: readonly Term[][], outputs: number): { slot: Int32Array; closing: number[][]; opening: number[][]; slots: number } {
  const first = new Int32Array(outputs).fill(-1);
  const last = new Int32Array(outputs).fill(-1);
  chunks.forEach((chunk, c) => {
    for (const i of chunk) {
      for (const { output } of columns[i]!) {
        if (first[output] === -1) first[output] = c;
        last[output] = c;
      }
    }
  });
  const opening = chunks.map((): number[] => []);
  const closing = chunks.map((): number[] => []);
  for (let j = 0; j < outputs; ++j) {
    if (first[j] === -1) continue; // not computed in this pass
    opening[first[j]!]!.push(j);
    closing[last[j]!]!.push(j);
  }
  const slot = new Int32Array(outputs);
  const free: number[] = [];
  let slots = 0;
  chunks.forEach((_, c) => {
    for (const j of opening[c]!) slot[j] = free.pop() ?? slots++;
    for (const j of closing[c]!) free.push(slot[j]!);
  });
  return { slot, closing, opening, slots };
}

const align8 = (bytes: number): number => Math.ceil(bytes / 8) * 8;

/** No bound on the accumulators: one pass (a convolution's band, the whole of a dense layer). */
const UNBOUNDED = Number.POSITIVE_INFINITY;

/** `terms` restricted to the outputs in `group`. */
function columnsFor(columns: readonly Term[][], group: ReadonlySet<number>): Term[][] {
  return columns.map((terms) => terms.filter((term) => group.has(term.output)));
}

/** The chunks of the inputs that `columns` reads, in input order. */
function chunksOf(columns: readonly Term[][]): number[][] {
  const reading = columns.flatMap((terms, i) => (terms.length > 0 ? [i] : []));
  const chunks: number[][] = [];
  for (let c = 0; c < reading.length; c += CHUNK) chunks.push(reading.slice(c, c + CHUNK));
  return chunks;
}

interface Pass {
  readonly columns: Term[][];
  readonly chunks: number[][];
  readonly slots: ReturnType<typeof assignSlots>;
}

function passOf(columns: readonly Term[][], group: readonly number[], outputs: number): Pass {
  const restricted = columnsFor(columns, new Set(group));
  const chunks = chunksOf(restricted);
  return { columns: restricted, chunks, slots: assignSlots(chunks, restricted, outputs) };
}

/**
 * Passes over the inputs, each for a run of outputs (in the order they close, linearSchedule)
 * whose accumulators fit `maxSlots`: one pass when the layer's band fits, else halves, recursively.
 * An input read by several passes is read once per pass (the arithmetic is the same).
 */
function passesOf(columns: readonly Term[][], order: readonly number[], outputs: number, maxSlots: number): Pass[] {
  const pass = passOf(columns, order, outputs);
  if (pass.slots.slots <= maxSlots || order.length === 1) return [pass];
  const half = Math.ceil(order.length / 2);
  return [...passesOf(columns, order.slice(0, half), outputs, maxSlots), ...passesOf(columns, order.slice(half), outputs, maxSlots)];
}

/** Copies input `i`'s residues of batch `b` into `target`, from SEAL or from where it is held. */
function inputResidues(engine: EngineContext, input: Operand, b: number, primes: number, target: Uint8Array): void {
  const held = input.held?.[b];
  if (held) held.residues(primes, target);
  else readResidues(engine, input.ciphertexts[b]!, primes, target);
}

/** A writer of ciphertexts at the inputs' level, templated on one input. */
function writerFor(engine: EngineContext, input: Operand, primes: number): CiphertextWriter {
  if (!input.held) return new CiphertextWriter(engine, input.ciphertexts[0]!, primes);
  const sample = input.held[0]!.load();
  try {
    return new CiphertextWriter(engine, sample, primes);
  } finally {
    sample.delete();
  }
}

/**
 * The layer on the kernel; each output goes to `linearTarget.complete` as soon as its last
 * input is read. `budgetBytes` bounds the accumulators (the kernel's memory never shrinks).
 */
export function linearByResidues(engine: EngineContext, kernel: ResidueKernel, layer: LinearLayer, inputs: OperandVector, linearTarget: LinearTarget, budgetBytes = UNBOUNDED): void {
  const { level, target } = linearTarget;
  const n = engine.he.parameters.polyModulusDegree;
  const moduli = engine.moduli[level]!;
  const primes = moduli.length;
  const { columns, sizes } = termsOf(layer, inputs, moduli, target);
  const reading = columns.flatMap((terms, i) => (terms.length > 0 ? [i] : []));
  const batches = batchesOf(inputs[reading[0]!]!);
  const polyBytes = n * primes * 8;
  const batchStride = Math.max(...sizes) * polyBytes;
  const slotBytes = batches * batchStride;
  const passes = passesOf(columns, linearSchedule(layer).order, layer.outputSize, Math.max(1, Math.floor(budgetBytes / slotBytes)));
  const lastPass = new Int32Array(layer.inputSize).fill(-1);
  passes.forEach((pass, p) => pass.chunks.flat().forEach((i) => (lastPass[i] = p)));

  const xBytes = Math.max(...reading.map((i) => inputs[i]!.size)) * polyBytes;
  const termBytes = 8 + 16 * primes;
  const tableBytes = Math.max(...passes.flatMap(({ chunks, columns: terms }) => chunks.map((chunk) => 4 + 8 * layer.outputSize + termBytes * chunk.reduce((sum, i) => sum + terms[i]!.length, 0))));
  const primesAt = 0;
  const biasAt = primesAt + 16 * primes;
  const tableAt = align8(biasAt + 8 * primes);
  const xAt = align8(tableAt + tableBytes);
  const accAt = xAt + CHUNK * xBytes;
  kernel.reserve(accAt + Math.max(...passes.map((pass) => pass.slots.slots)) * slotBytes);
  kernel.setPrimes(primesAt, moduli);
  const view = kernel.view();
  const writer = writerFor(engine, inputs[reading[0]!]!, primes);

  passes.forEach(({ columns: terms, chunks, slots: { slot, opening, closing } }, p) => {
    const accOf = (j: number): number => accAt + slot[j]! * slotBytes;
    chunks.forEach((chunk, c) => {
      for (const j of opening[c]!) kernel.words(accOf(j), slotBytes / 8).fill(0n);
      // The chunk's table: per output, its terms from this chunk's inputs.
      const byOutput = new Map<number, { k: number; polys: number; words: readonly bigint[] }[]>();
      chunk.forEach((i, k) => {
        for (const { output, words } of terms[i]!) {
          let outputTerms = byOutput.get(output);
          if (!outputTerms) byOutput.set(output, (outputTerms = []));
          outputTerms.push({ k, polys: inputs[i]!.size, words });
        }
      });
      let at = tableAt;
      view.setInt32(at, byOutput.size, true);
      at += 4;
      for (const [j, outputTerms] of byOutput) {
        view.setInt32(at, accOf(j), true);
        view.setInt32(at + 4, outputTerms.length, true);
        at += 8;
        for (const { k, polys, words } of outputTerms) {
          view.setInt32(at, xAt + k * xBytes, true);
          view.setInt32(at + 4, polys, true);
          words.forEach((word, w) => view.setBigUint64(at + 8 + 8 * w, word, true));
          at += termBytes;
        }
      }
      const segments = Math.max(...chunk.map((i) => inputs[i]!.size)) * primes;
      for (let b = 0; b < batches; ++b) {
        chunk.forEach((i, k) => inputResidues(engine, inputs[i]!, b, primes, kernel.bytes(xAt + k * xBytes, xBytes)));
        kernel.accumulate(tableAt, n, primesAt, primes, segments, b * batchStride, Math.min(BLOCK, n));
      }
      for (const i of chunk) if (lastPass[i] === p) drop(inputs[i]!);
      for (const j of closing[c]!) {
        const output = closeOutput(engine, kernel, { acc: accOf(j), batchStride, batches, primesAt, biasAt, writer }, layer.bias[j]!, sizes[j]!, level, target);
        linearTarget.complete(j, output);
      }
    });
  });
}

interface Accumulator {
  readonly acc: number;
  readonly batchStride: number;
  readonly batches: number;
  readonly primesAt: number;
  readonly biasAt: number;
  readonly writer: CiphertextWriter;
}

/** Reduces one output's accumulators, adds its bias, and makes them SEAL ciphertexts at scale `target`. */
function closeOutput(engine: EngineContext, kernel: ResidueKernel, { acc, batchStride, batches, primesAt, biasAt, writer }: Accumulator, bias: number, size: number, level: number, target: number): Operand {
  const n = engine.he.parameters.polyModulusDegree;
  const moduli = engine.moduli[level]!;
  const integer = constantInteger(bias, target);
  kernel.words(biasAt, moduli.length).set(moduli.map((q) => residue(integer, q)));
  const ciphertexts = [];
  try {
    for (let b = 0; b < batches; ++b) {
      kernel.finish(acc + b * batchStride, n, primesAt, moduli.length, size, biasAt);
      ciphertexts.push(writer.write(kernel.bytes(acc + b * batchStride, size * n * moduli.length * 8), size, target));
    }
  } catch (error) {
    for (const ciphertext of ciphertexts) ciphertext.delete();
    throw error;
  }
  return { ciphertexts, level, scale: target, size };
}
