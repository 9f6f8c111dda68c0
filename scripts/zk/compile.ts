/**
 * Compiles the dispute circuit (circuits/dispute.circom) with circom 2 from npm (`circom2`,
 * circom compiled to WASM: no download, no native binary) into circuits/build/dispute_<N>/:
 * the r1cs, the witness generator's wasm and the symbol file, plus info.json (constraint
 * count and the hash of everything the build depends on).
 *
 *   npm run zk:compile                  # N = 256
 *   npm run zk:compile -- 1024 4096     # other sizes
 *
 * Runs circom with --O2 (full linear simplification) and --inspect, and fails on any warning.
 * A build whose inputs (circuit sources, circomlib and circom2 versions, flags) have not changed
 * is reused. Imports only node: builtins, so Node 24 runs it directly (type stripping).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const CIRCUITS_DIR = join(ROOT, "circuits");
export const BUILD_DIR = join(CIRCUITS_DIR, "build");
const FLAGS = ["--r1cs", "--wasm", "--sym", "--O2", "--inspect"] as const;
// Bump when this script changes what it writes, so cached builds are redone.
const BUILD_FORMAT = 2;

export interface CompiledCircuit {
  /** The circuit size N (the most samples it holds). */
  size: number;
  dir: string;
  r1cs: string;
  /** The witness generator; its directory also holds witness_calculator.js (CommonJS). */
  wasm: string;
  sym: string;
  /** Non-linear constraints (with --O2 there are no linear ones left). */
  constraints: number;
  wires: number;
  /** sha256 of everything the build depends on. */
  inputsHash: string;
  /** Seconds the compiler ran (0 when the cached build was reused). */
  compileSeconds: number;
}

/** The main component of the circuit of size `size`; circuits/dispute_<N>.circom holds the same text. */
export function mainSource(size: number): string {
  return `pragma circom 2.2.3;

// The dispute circuit for test sets of up to ${size} samples (see dispute.circom).
include "dispute.circom";

component main { public [context, dataCommitment] } = Dispute(${size});
`;
}

function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")) as { version: string }).version;
}

/** sha256 of everything the build of size `size` depends on (the transcript records it). */
export function inputsHash(size: number): string {
  const h = createHash("sha256");
  h.update(readFileSync(join(CIRCUITS_DIR, "dispute.circom")));
  h.update(mainSource(size));
  h.update(`circomlib@${packageVersion("circomlib")} circom2@${packageVersion("circom2")} ${FLAGS.join(" ")} format ${BUILD_FORMAT}`);
  return h.digest("hex");
}

// circom colours its output with ANSI escapes.
// eslint-disable-next-line no-control-regex
const stripAnsi = (s: string): string => s.replace(/\u001b\[[0-9;]*m/g, "");

/** Compiles (or reuses) the circuit of size `size` under `buildDir`. */
export function compileCircuit(size: number, buildDir: string = BUILD_DIR): CompiledCircuit {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`circuit size must be a positive integer, got ${size}`);
  const name = `dispute_${size}`;
  const dir = join(buildDir, name);
  const hash = inputsHash(size);
  const paths = { dir, r1cs: join(dir, `${name}.r1cs`), wasm: join(dir, `${name}_js`, `${name}.wasm`), sym: join(dir, `${name}.sym`) };
  const infoFile = join(dir, "info.json");
  if (existsSync(infoFile) && existsSync(paths.r1cs) && existsSync(paths.wasm)) {
    const info = JSON.parse(readFileSync(infoFile, "utf8")) as { inputsHash: string; constraints: number; wires: number };
    if (info.inputsHash === hash) return { size, ...paths, ...info, compileSeconds: 0 };
  }

  mkdirSync(buildDir, { recursive: true });
  const staging = mkdtempSync(join(buildDir, `.${name}-`));
  try {
    const mainFile = join(staging, `${name}.circom`);
    writeFileSync(mainFile, mainSource(size));
    const started = performance.now();
    // circom2's CLI maps paths relative to the working directory into its WASI sandbox.
    const result = spawnSync(
      process.execPath,
      [
        require.resolve("circom2/cli.js"),
        relative(ROOT, mainFile),
        ...FLAGS,
        "-l",
        relative(ROOT, CIRCUITS_DIR) || ".",
        "-l",
        relative(ROOT, dirname(dirname(require.resolve("circomlib/package.json")))),
        "-o",
        relative(ROOT, staging),
      ],
      { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 },
    );
    const compileSeconds = (performance.now() - started) / 1000;
    const output = stripAnsi(`${result.stdout}\n${result.stderr}`);
    if (result.status !== 0) throw new Error(`circom failed (exit ${result.status}):\n${output}`);
    if (/warning/i.test(output)) throw new Error(`circom reported warnings (treated as errors):\n${output}`);
    const count = (label: string): number => {
      const m = new RegExp(`^${label}: (\\d+)`, "m").exec(output);
      if (!m) throw new Error(`circom output lacks "${label}":\n${output}`);
      return Number(m[1]);
    };
    if (count("linear constraints") !== 0) throw new Error("--O2 left linear constraints");
    if (count("public inputs") !== 2 || count("public outputs") !== 0) throw new Error("expected exactly two public inputs");
    // The generated witness calculator is CommonJS (.js) and the project is "type": "module".
    writeFileSync(join(staging, `${name}_js`, "package.json"), '{ "type": "commonjs" }\n');
    const info = { inputsHash: hash, constraints: count("non-linear constraints"), wires: count("wires") };
    writeFileSync(join(staging, "info.json"), `${JSON.stringify({ size, ...info, compileSeconds }, null, 2)}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
    return { size, ...paths, ...info, compileSeconds };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sizes = process.argv.slice(2).map(Number);
  for (const size of sizes.length > 0 ? sizes : [256]) {
    const c = compileCircuit(size);
    const how = c.compileSeconds > 0 ? `compiled in ${c.compileSeconds.toFixed(1)} s` : "up to date";
    console.log(`dispute_${size}: ${c.constraints} constraints, ${c.wires} wires, ${how} -> ${relative(ROOT, c.dir)}`);
  }
}
