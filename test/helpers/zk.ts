/**
 * Witness-level tools for circuit tests: an R1CS reader and checker (independent of snarkjs),
 * the symbol table (signal name -> witness index), and two witness calculators built from
 * circom's generated witness_calculator.js: the strict one (circom's asserts, what a prover
 * uses) and a lenient one that carries on past a failed `===` assert, so a test can compute
 * the witness an honest computation gives for bad inputs and show the R1CS rejects it.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import * as snarkjs from "snarkjs";

import { SNARK_SCALAR_FIELD } from "@modelbazaar/sdk/testDrives";
import { seededRandom } from "./seededRandom.ts";

export const P = SNARK_SCALAR_FIELD;

type Term = readonly [wire: number, coefficient: bigint];
type LinearCombination = readonly Term[];
export interface Constraint {
  a: LinearCombination;
  b: LinearCombination;
  c: LinearCombination;
}

export interface R1cs {
  nWires: number;
  nPubOut: number;
  nPubIn: number;
  nPrvIn: number;
  constraints: Constraint[];
}

/** Reads an .r1cs file (iden3's binary format, version 1). */
export function readR1cs(file: string): R1cs {
  const buf = readFileSync(file);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.subarray(0, 4).toString("latin1") !== "r1cs") throw new Error(`${file} is not an r1cs file`);
  const nSections = view.getUint32(8, true);
  const sections = new Map<number, number>();
  let pos = 12;
  for (let s = 0; s < nSections; s++) {
    const type = view.getUint32(pos, true);
    const size = Number(view.getBigUint64(pos + 4, true));
    sections.set(type, pos + 12);
    pos += 12 + size;
  }
  const header = sections.get(1);
  const body = sections.get(2);
  if (header === undefined || body === undefined) throw new Error("r1cs lacks its header or constraints");
  const n8 = view.getUint32(header, true);
  const readField = (at: number): bigint => {
    let v = 0n;
    for (let i = n8 - 1; i >= 0; i--) v = (v << 8n) | BigInt(buf[at + i]!);
    return v;
  };
  if (readField(header + 4) !== P) throw new Error("r1cs is not over BN254");
  let h = header + 4 + n8;
  const nWires = view.getUint32(h, true);
  const nPubOut = view.getUint32(h + 4, true);
  const nPubIn = view.getUint32(h + 8, true);
  const nPrvIn = view.getUint32(h + 12, true);
  h += 16 + 8; // nLabels (u64)
  const nConstraints = view.getUint32(h, true);

  let at = body;
  const readLc = (): LinearCombination => {
    const n = view.getUint32(at, true);
    at += 4;
    const terms: Term[] = [];
    for (let i = 0; i < n; i++) {
      terms.push([view.getUint32(at, true), readField(at + 4)]);
      at += 4 + n8;
    }
    return terms;
  };
  const constraints: Constraint[] = [];
  for (let i = 0; i < nConstraints; i++) constraints.push({ a: readLc(), b: readLc(), c: readLc() });
  return { nWires, nPubOut, nPubIn, nPrvIn, constraints };
}

const evalLc = (lc: LinearCombination, w: readonly bigint[]): bigint => {
  let acc = 0n;
  for (const [wire, coef] of lc) acc += coef * w[wire]!;
  return acc % P;
};

export function satisfies(c: Constraint, w: readonly bigint[]): boolean {
  return (evalLc(c.a, w) * evalLc(c.b, w) - evalLc(c.c, w)) % P === 0n;
}

/** The index of the first constraint `w` violates, or -1 when it satisfies all of them. */
export function firstViolated(r1cs: R1cs, w: readonly bigint[]): number {
  if (w.length !== r1cs.nWires) throw new Error(`witness has ${w.length} wires, r1cs ${r1cs.nWires}`);
  if (w[0] !== 1n) return -2;
  if (w.some((v) => v < 0n || v >= P)) throw new Error("witness values must be reduced field elements");
  return r1cs.constraints.findIndex((c) => !satisfies(c, w));
}

/** For each wire, the indices of the constraints it appears in. */
export function constraintsByWire(r1cs: R1cs): number[][] {
  const by: number[][] = Array.from({ length: r1cs.nWires }, () => []);
  r1cs.constraints.forEach((c, i) => {
    const wires = new Set<number>();
    for (const lc of [c.a, c.b, c.c]) for (const [wire] of lc) wires.add(wire);
    for (const wire of wires) by[wire]!.push(i);
  });
  return by;
}

/** Signal name (e.g. "main.labels[3]") -> witness index, -1 for a signal the optimizer substituted away. */
export function readSymbols(file: string): Map<string, number> {
  const symbols = new Map<string, number>();
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const parts = line.split(",");
    if (parts.length < 4) continue;
    symbols.set(parts.slice(3).join(","), Number(parts[1]));
  }
  return symbols;
}

/**
 * The first capture group of the first symbol matching `pattern`: the generated path of a
 * subcomponent (circom numbers anonymous components, e.g. "main.DisputeStatement_92_4431").
 */
export function signalPrefix(symbols: Map<string, number>, pattern: RegExp): string {
  for (const name of symbols.keys()) {
    const m = pattern.exec(name);
    if (m?.[1] !== undefined) return m[1];
  }
  throw new Error(`no signal matches ${pattern}`);
}

/** The value of a constant function `function NAME() { return <decimal>; }` in a .circom file. */
export function circuitConstant(file: string, name: string): bigint {
  const m = new RegExp(`function ${name}\\(\\) \\{ return (\\d+); \\}`).exec(readFileSync(file, "utf8"));
  if (!m) throw new Error(`${file} lacks ${name}()`);
  return BigInt(m[1]!);
}

export type Signals = Record<string, string | readonly string[]>;

export interface WitnessCalculator {
  calculateWitness(input: Signals, sanityCheck: boolean): Promise<bigint[]>;
}
type Builder = (code: Uint8Array, options?: Record<string, unknown>) => Promise<WitnessCalculator>;

/**
 * Loads circom's witness calculator next to `wasmFile`. With `lenient`, a failed `===`
 * (circom's "Assert Failed", exception code 4) no longer stops the computation: the witness
 * is what the circuit's assignments compute, whether or not the constraints hold.
 */
export async function loadWitnessCalculator(wasmFile: string, lenient = false): Promise<WitnessCalculator> {
  let source = readFileSync(join(dirname(wasmFile), "witness_calculator.js"), "utf8");
  if (lenient) {
    const patched = source.replace("throw new Error(err + errStr);", "if (code != 4) throw new Error(err + errStr);");
    if (patched === source) throw new Error("circom's witness_calculator.js changed shape; update the lenient patch");
    source = patched;
  }
  const module = { exports: undefined as unknown };
  new Function("module", "exports", source)(module, module.exports);
  return (module.exports as Builder)(readFileSync(wasmFile));
}

/** A compiled circuit's files (scripts/zk/compile.ts). */
export interface CircuitFiles {
  r1cs: string;
  sym: string;
  wasm: string;
}

/** A compiled circuit loaded for witness-level tests. */
export interface LoadedCircuit {
  r1cs: R1cs;
  symbols: Map<string, number>;
  /** circom's witness calculator: its asserts hold, as for a prover. */
  strict: WitnessCalculator;
  /** The witness an honest computation gives, asserts or not (loadWitnessCalculator's lenient). */
  lenient: WitnessCalculator;
}

/**
 * The checks every circuit test makes, for inputs of type `I`: call `load` in `before()`, then
 * the others in the tests.
 */
export function witnessChecks<I extends object = Signals>() {
  let loaded: LoadedCircuit | undefined;
  const circuit = (): LoadedCircuit => {
    if (loaded === undefined) throw new Error("load the circuit first (in before())");
    return loaded;
  };
  const signals = (input: I): Signals => input as unknown as Signals;
  /** The witness index of a signal, refusing one the optimizer substituted away. */
  const wire = (name: string): number => {
    const index = circuit().symbols.get(name);
    if (index === undefined || index < 0) throw new Error(`signal ${name} is not in the witness`);
    return index;
  };
  return {
    async load(files: CircuitFiles): Promise<LoadedCircuit> {
      loaded = {
        r1cs: readR1cs(files.r1cs),
        symbols: readSymbols(files.sym),
        strict: await loadWitnessCalculator(files.wasm),
        lenient: await loadWitnessCalculator(files.wasm, true),
      };
      return loaded;
    },
    wire,
    /** Accepted: circom computes the witness and it satisfies every constraint. */
    async assertAccepted(input: I): Promise<bigint[]> {
      const w = await circuit().strict.calculateWitness(signals(input), true);
      assert.equal(firstViolated(circuit().r1cs, w), -1, "a valid witness must satisfy every constraint");
      return w;
    },
    /** Rejected twice over: circom's asserts refuse it, and the honestly computed witness (returned) violates the R1CS. */
    async assertRejected(input: I): Promise<bigint[]> {
      await assert.rejects(circuit().strict.calculateWitness(signals(input), true), /Assert Failed/);
      const w = await circuit().lenient.calculateWitness(signals(input), true);
      assert.ok(firstViolated(circuit().r1cs, w) >= 0, "the R1CS must reject the witness");
      return w;
    },
    /** A witness with some wires edited must violate the R1CS. */
    assertForgedRejected(w: readonly bigint[], edits: Record<string, bigint>): void {
      const forged = [...w];
      for (const [name, value] of Object.entries(edits)) forged[wire(name)] = value;
      assert.ok(firstViolated(circuit().r1cs, forged) >= 0, `editing ${Object.keys(edits).join(", ")} must break a constraint`);
    },
  };
}

/** A seeded source of random integers, bit strings and field elements, so a failure reproduces. */
export function seededField(seed: number) {
  const random = seededRandom(seed);
  const randInt = (below: number): number => Math.floor(random() * below);
  const randBits = (bits: number): bigint => {
    let v = 0n;
    for (let i = 0; i < bits; i += 16) v = (v << 16n) | BigInt(randInt(1 << 16));
    return v & ((1n << BigInt(bits)) - 1n);
  };
  const randField = (): bigint => randBits(253) % P;
  return { randInt, randBits, randField };
}

/** A logger that keeps snarkjs quiet. */
export const QUIET = { log: () => {}, info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };

/**
 * snarkjs's .wtns of `input`, its witness section (the file's last 32 * nWires bytes)
 * overwritten with the `forged` vector: what a forger would hand snarkjs's checker.
 */
export async function forgedWtns(input: Signals, wasm: string, forged: readonly bigint[]): Promise<snarkjs.MemFile> {
  const bad: snarkjs.MemFile = { type: "mem" };
  await snarkjs.wtns.calculate(input, wasm, bad);
  const data = bad.data;
  assert.ok(data instanceof Uint8Array);
  const start = data.length - 32 * forged.length;
  forged.forEach((v, i) => {
    for (let b = 0; b < 32; b++) data[start + i * 32 + b] = Number((v >> BigInt(8 * b)) & 0xffn);
  });
  return bad;
}

/** Ends the worker threads snarkjs's wtns.check starts for the BN254 curve (cached on globalThis), which keep the process alive. */
export async function stopSnarkjsCurve(): Promise<void> {
  await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
}
