/**
 * Witness-level tools for circuit tests: an R1CS reader and checker (independent of snarkjs),
 * the symbol table (signal name -> witness index), and two witness calculators built from
 * circom's generated witness_calculator.js: the strict one (circom's asserts, what a prover
 * uses) and a lenient one that carries on past a failed `===` assert, so a test can compute
 * the witness an honest computation gives for bad inputs and show the R1CS rejects it.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

import { SNARK_SCALAR_FIELD } from "../../sdk/src/index.ts";

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
