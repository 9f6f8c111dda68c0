/**
 * Compiles the dispute circuits with circom 2 from npm (`circom2`, circom compiled to WASM: no
 * download, no native binary) into circuits/build/<name>/: the r1cs, the witness generator's
 * wasm and the symbol file, plus info.json (constraint count and the hash of everything the
 * build depends on). The kinds of circuit (docs/ZK.md, docs/DISPUTES.md):
 *
 *   refund_<N>         Refund(N) of circuits/refund.circom: the graded refund bound to the
 *                      prediction commitment (docs/DISPUTES.md §5.1), three public signals
 *   open_<N>           Open(N, 16) of circuits/open.circom: the buyer's opening of 16 sampled
 *                      (label, prediction) pairs of C_D and C_P (docs/DISPUTES.md §5.2), nine
 *                      public signals
 *   contest_*          the contest mains of docs/DISPUTES.md §5.3, checked in as
 *                      circuits/<name>.circom (CONTEST_CIRCUITS below)
 *
 * The mains of the first two are generated (mainSource; circuits/<name>.circom holds the same
 * text), the contest mains compiled as checked in.
 *
 *   npm run zk:compile                        # refund_256
 *   npm run zk:compile -- refund_1024         # a refund circuit (refund_<N>)
 *   npm run zk:compile -- open_256            # an Open circuit (open_<N>)
 *   npm run zk:compile -- contest_linear_4x3  # a contest circuit (contest_linear_784x10: MNIST)
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

/** A refund or Open circuit: its statement and its size N (the most samples it holds). */
export interface CircuitVariant {
  /** The graded refund Refund(N) ("refund") or the opening of a contested refund Open(N, 16) ("open"). */
  statement: "refund" | "open";
  /** The circuit size N. */
  size: number;
}

/** K of Open(N, K): the samples a contest opens (sdk/src/testDrives/challengeIndices.ts OPEN_SLOTS). */
export const OPEN_SLOTS = 16;

/** A compiled circuit: where its build's files are, its counts and hash, and how long circom ran. */
export interface CompiledMain {
  /** The build directory's and the files' name. */
  name: string;
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

export interface CompiledCircuit extends CircuitVariant, CompiledMain {
  /** refund_<N> or open_<N>. */
  name: string;
}

/** A variant with its bounds checked. */
export function toVariant(variant: CircuitVariant): CircuitVariant {
  if (!Number.isInteger(variant.size) || variant.size < 1) throw new RangeError(`circuit size must be a positive integer, got ${variant.size}`);
  if (variant.statement !== "refund" && variant.statement !== "open") {
    throw new RangeError(`a circuit's statement is "refund" or "open", got "${String(variant.statement)}"`);
  }
  if (variant.statement === "open" && variant.size + 7 > 2 ** 16) throw new RangeError(`an Open circuit holds at most ${2 ** 16 - 7} samples (16-bit indices)`);
  return variant;
}

/** A variant's name: its key in the transcript and on the command line, "refund_256" or "open_256". */
export function variantKey(variant: CircuitVariant): string {
  const { statement, size } = toVariant(variant);
  return `${statement}_${size}`;
}

/**
 * Parses a variant's key: "refund_256" or "open_256". Its error names every command-line
 * circuit, contest mains included (parseCircuit takes those).
 */
export function parseVariant(arg: string): CircuitVariant {
  const m = /^(refund|open)_(\d+)$/.exec(arg);
  if (!m) {
    const contests = Object.keys(CONTEST_CIRCUITS).join(", ");
    throw new RangeError(`a circuit is refund_<N> or open_<N> (e.g. refund_256, open_1024), or a contest main (${contests}), got "${arg}"`);
  }
  return toVariant({ statement: m[1] as CircuitVariant["statement"], size: Number(m[2]) });
}

/** refund_<N> or open_<N>. */
export const circuitName = (variant: CircuitVariant): string => variantKey(variant);

/** The Solidity verifier's contract name: RefundVerifier<N> or OpenVerifier<N>. */
export function verifierContract(variant: CircuitVariant): string {
  const { statement, size } = toVariant(variant);
  return `${statement === "refund" ? "Refund" : "Open"}Verifier${size}`;
}

/** The number of public signals a variant's main component declares. */
export function publicSignalCount(variant: CircuitVariant): number {
  // Open: context, C_D, C_P, 2 index words, D, 3 pair words; Refund: context, C_D, C_P.
  return toVariant(variant).statement === "open" ? 9 : 3;
}

/** The circuit sources a variant's main component includes (besides circomlib). */
function sourceFiles(variant: CircuitVariant): string[] {
  return [`${toVariant(variant).statement}.circom`, "commitmentsV2.circom", "contextV2.circom", "laneChain.circom", "poseidonChain.circom", "prefixMask.circom"];
}

/** The main component of a circuit; circuits/<name>.circom holds the same text. */
export function mainSource(variant: CircuitVariant): string {
  const { statement, size } = toVariant(variant);
  if (statement === "refund") {
    return `pragma circom 2.2.3;

// The v2 refund circuit for test sets of up to ${size} samples (see refund.circom).
include "refund.circom";

component main { public [context, dataCommitment, predictionCommitment] } = Refund(${size});
`;
  }
  return `pragma circom 2.2.3;

// The Open circuit for test sets of up to ${size} samples, ${OPEN_SLOTS} opened (see open.circom).
include "open.circom";

component main { public [context, dataCommitment, predictionCommitment, indices, featuresRoot, openedPairs] } = Open(${size}, ${OPEN_SLOTS});
`;
}

function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")) as { version: string }).version;
}

/** sha256 of everything the build of a circuit depends on (the transcript records it). */
export function inputsHash(variant: CircuitVariant): string {
  return hashInputs(sourceFiles(variant), mainSource(variant));
}

/** What compile.ts and setup.ts know of a contest main. */
interface ContestCircuitEntry {
  publicInputs: number;
  /** The template's file (under circuits/). */
  template: string;
  /** The main component, as circuits/<name>.circom instantiates it. */
  component: string;
  /** The plans it serves (the verifier's banner says it). */
  serves: string;
  /** The Solidity verifier's contract name (scripts/zk/setup.ts writes contracts/verifiers/<verifier>.sol). */
  verifier: string;
}

/**
 * The contest mains (docs/DISPUTES.md §5.3), checked in as circuits/<name>.circom: their public
 * input count, the template each instantiates and the name of its verifier contract.
 */
export const CONTEST_CIRCUITS = {
  contest_linear_4x3: {
    publicInputs: 14 + 1,
    template: "contestLinear.circom",
    component: "ContestLinear(4, 3)",
    serves: "Linear plans of up to 4 features and 3 classes (iris-logreg)",
    verifier: "ContestLinearVerifier4x3",
  },
  contest_linear_784x10: {
    publicInputs: 14 + 53,
    template: "contestLinear.circom",
    component: "ContestLinear(784, 10)",
    serves: "Linear plans of up to 784 features and 10 classes (mnist-logreg)",
    verifier: "ContestLinearVerifier784x10",
  },
  contest_squaremlp_iris: {
    publicInputs: 14 + 1,
    template: "contestSquareMlp.circom",
    component: "ContestSquareMlp(4, 8, 3)",
    serves: "SquareMlp plans of 4 features, 8 hidden units and up to 3 classes (iris-square-mlp)",
    verifier: "ContestSquareMlpVerifierIris",
  },
} as const satisfies Record<string, ContestCircuitEntry>;
export type ContestCircuitName = keyof typeof CONTEST_CIRCUITS;
/** The project sources every contest template includes (besides circomlib). */
const CONTEST_SHARED_SOURCES = ["contestShared.circom", "merklePath.circom", "poseidonChain.circom", "prefixMask.circom"];

export interface CompiledContestCircuit extends CompiledMain {
  name: ContestCircuitName;
  publicInputs: number;
}

/** sha256 of the project sources, tool versions, flags and build format. */
function hashInputs(files: readonly string[], generatedMain?: string): string {
  const h = createHash("sha256");
  for (const file of files) h.update(readFileSync(join(CIRCUITS_DIR, file)));
  if (generatedMain !== undefined) h.update(generatedMain);
  h.update(`circomlib@${packageVersion("circomlib")} circom2@${packageVersion("circom2")} ${FLAGS.join(" ")} format ${BUILD_FORMAT}`);
  return h.digest("hex");
}

/** sha256 of everything the build of a contest circuit depends on (its main included). */
export function contestInputsHash(name: ContestCircuitName): string {
  return hashInputs([`${name}.circom`, CONTEST_CIRCUITS[name].template, ...CONTEST_SHARED_SOURCES]);
}

// circom colours its output with ANSI escapes.
// eslint-disable-next-line no-control-regex
const stripAnsi = (s: string): string => s.replace(/\u001b\[[0-9;]*m/g, "");

/** The deepest directory both absolute paths lie in. */
function commonAncestor(a: string, b: string): string {
  let dir = a;
  while (relative(dir, b).startsWith("..")) {
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return dir;
}

/** What one build compiles: a main component and the project sources it includes (besides circomlib). */
interface MainBuild {
  /** The build directory's and the files' name. */
  name: string;
  /** The main component's file: generated into the build (`source`) or checked in (`file`, absolute). */
  main: { source: string } | { file: string };
  publicInputs: number;
  inputsHash: string;
  /** What info.json records besides the hash, the counts and the compile time. */
  describe: Record<string, unknown>;
}

/** Compiles (or reuses) a main component under `buildDir`. */
function compileMain(build: MainBuild, buildDir: string): CompiledMain {
  const { name, inputsHash: hash, publicInputs } = build;
  const dir = join(buildDir, name);
  const paths = { dir, r1cs: join(dir, `${name}.r1cs`), wasm: join(dir, `${name}_js`, `${name}.wasm`), sym: join(dir, `${name}.sym`) };
  const infoFile = join(dir, "info.json");
  if (existsSync(infoFile) && existsSync(paths.r1cs) && existsSync(paths.wasm)) {
    const info = JSON.parse(readFileSync(infoFile, "utf8")) as { inputsHash: string; constraints: number; wires: number };
    if (info.inputsHash === hash) return { name, ...paths, inputsHash: hash, constraints: info.constraints, wires: info.wires, compileSeconds: 0 };
  }

  mkdirSync(buildDir, { recursive: true });
  const staging = mkdtempSync(join(buildDir, `.${name}-`));
  try {
    let mainFile: string;
    if ("file" in build.main) mainFile = build.main.file;
    else {
      mainFile = join(staging, `${name}.circom`);
      writeFileSync(mainFile, build.main.source);
    }
    const started = performance.now();
    // circom2's CLI maps paths relative to the working directory into its WASI sandbox, which
    // follows neither ".." nor symlinks: run it from the deepest directory holding both the
    // circuits and circomlib (ROOT, unless node_modules resolves elsewhere, as in a git worktree
    // whose node_modules links to another checkout's).
    const circomlibDir = dirname(dirname(require.resolve("circomlib/package.json")));
    const cwd = commonAncestor(ROOT, circomlibDir);
    const result = spawnSync(
      process.execPath,
      [
        require.resolve("circom2/cli.js"),
        relative(cwd, mainFile),
        ...FLAGS,
        "-l",
        relative(cwd, CIRCUITS_DIR) || ".",
        "-l",
        relative(cwd, circomlibDir) || ".",
        "-o",
        relative(cwd, staging),
      ],
      { cwd, encoding: "utf8", maxBuffer: 64 << 20 },
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
    if (count("public inputs") !== publicInputs || count("public outputs") !== 0) throw new Error(`expected exactly ${publicInputs} public inputs:\n${output}`);
    // The generated witness calculator is CommonJS (.js) and the project is "type": "module".
    writeFileSync(join(staging, `${name}_js`, "package.json"), '{ "type": "commonjs" }\n');
    const info = { inputsHash: hash, constraints: count("non-linear constraints"), wires: count("wires") };
    writeFileSync(join(staging, "info.json"), `${JSON.stringify({ ...build.describe, ...info, compileSeconds }, null, 2)}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
    return { name, ...paths, ...info, compileSeconds };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Compiles (or reuses) a refund or Open circuit under `buildDir`. */
export function compileCircuit(spec: CircuitVariant, buildDir: string = BUILD_DIR): CompiledCircuit {
  const variant = toVariant(spec);
  const built = compileMain(
    { name: circuitName(variant), main: { source: mainSource(variant) }, publicInputs: publicSignalCount(variant), inputsHash: inputsHash(variant), describe: { ...variant } },
    buildDir,
  );
  return { ...variant, ...built };
}

/** Compiles (or reuses) one contest circuit (its checked-in main circuits/<name>.circom) under `buildDir`. */
export function compileContestCircuit(name: ContestCircuitName, buildDir: string = BUILD_DIR): CompiledContestCircuit {
  const { publicInputs } = CONTEST_CIRCUITS[name];
  const built = compileMain(
    { name, main: { file: join(CIRCUITS_DIR, `${name}.circom`) }, publicInputs, inputsHash: contestInputsHash(name), describe: { name, publicInputs } },
    buildDir,
  );
  return { ...built, name, publicInputs };
}

/** Whether a command-line circuit names a contest main. */
export const isContestName = (arg: string): arg is ContestCircuitName => Object.hasOwn(CONTEST_CIRCUITS, arg);

/** Parses a command-line circuit of zk:compile and zk:setup: a contest main by name, else a variant by its key (parseVariant). */
export function parseCircuit(arg: string): CircuitVariant | ContestCircuitName {
  return isContestName(arg) ? arg : parseVariant(arg);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  for (const arg of args.length > 0 ? args : ["refund_256"]) {
    const circuit = parseCircuit(arg);
    const c = typeof circuit === "string" ? compileContestCircuit(circuit) : compileCircuit(circuit);
    const how = c.compileSeconds > 0 ? `compiled in ${c.compileSeconds.toFixed(1)} s` : "up to date";
    console.log(`${c.name}: ${c.constraints} constraints, ${c.wires} wires, ${how} -> ${relative(ROOT, c.dir)}`);
  }
}
