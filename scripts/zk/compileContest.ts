/**
 * Compiles the contest circuits (docs/DISPUTES.md §5.3) with circom 2 from npm, like
 * compile.ts does the dispute circuits: circuits/<name>.circom (a checked-in main) into
 * circuits/build/<name>/ (r1cs, witness wasm, symbols, info.json), reused while its inputs
 * (the circuit sources, circomlib and circom2 versions, flags) have not changed. Fails on any
 * circom warning and on linear constraints left after --O2.
 *
 *   node scripts/zk/compileContest.ts                          # contest_linear_4x3
 *   node scripts/zk/compileContest.ts contest_linear_784x10    # MNIST (about 5 minutes)
 *   node scripts/zk/compileContest.ts contest_squaremlp_iris   # iris-square-mlp
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { BUILD_DIR, CIRCUITS_DIR, ROOT } from "./compile.ts";

const require = createRequire(import.meta.url);
const FLAGS = ["--r1cs", "--wasm", "--sym", "--O2", "--inspect"] as const;
const BUILD_FORMAT = 1;

/** The contest mains and the project sources each includes (besides circomlib). */
export const CONTEST_CIRCUITS = {
  contest_linear_4x3: { publicInputs: 14 + 1, template: "contestLinear.circom" },
  contest_linear_784x10: { publicInputs: 14 + 53, template: "contestLinear.circom" },
  contest_squaremlp_iris: { publicInputs: 14 + 1, template: "contestSquareMlp.circom" },
} as const;
export type ContestCircuitName = keyof typeof CONTEST_CIRCUITS;
const SHARED_SOURCES = ["contestShared.circom", "merklePath.circom", "poseidonChain.circom", "prefixMask.circom"];

export interface CompiledContestCircuit {
  name: ContestCircuitName;
  dir: string;
  r1cs: string;
  wasm: string;
  sym: string;
  constraints: number;
  wires: number;
  publicInputs: number;
  inputsHash: string;
  compileSeconds: number;
}

function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")) as { version: string }).version;
}

export function contestInputsHash(name: ContestCircuitName): string {
  const h = createHash("sha256");
  for (const file of [`${name}.circom`, CONTEST_CIRCUITS[name].template, ...SHARED_SOURCES]) h.update(readFileSync(join(CIRCUITS_DIR, file)));
  h.update(`circomlib@${packageVersion("circomlib")} circom2@${packageVersion("circom2")} ${FLAGS.join(" ")} format ${BUILD_FORMAT}`);
  return h.digest("hex");
}

/**
 * The include path that reaches circomlib, relative to ROOT. circom2 runs under WASI with only
 * the checkout preopened, so a node_modules outside it (a git worktree's symlink to the main
 * checkout's) is unreachable: then circomlib's circuits are copied under the build directory.
 */
function circomlibIncludeDir(buildDir: string): string {
  const modules = dirname(dirname(require.resolve("circomlib/package.json")));
  const rel = relative(ROOT, modules);
  if (!rel.startsWith("..")) return rel || ".";
  const copy = join(buildDir, ".include", `circomlib@${packageVersion("circomlib")}`);
  if (!existsSync(join(copy, "circomlib", "circuits"))) cpSync(join(modules, "circomlib", "circuits"), join(copy, "circomlib", "circuits"), { recursive: true });
  return relative(ROOT, copy);
}

// eslint-disable-next-line no-control-regex
const stripAnsi = (s: string): string => s.replace(/\u001b\[[0-9;]*m/g, "");

/** Compiles (or reuses) one contest circuit under `buildDir`. */
export function compileContestCircuit(name: ContestCircuitName, buildDir: string = BUILD_DIR): CompiledContestCircuit {
  const { publicInputs } = CONTEST_CIRCUITS[name];
  const dir = join(buildDir, name);
  const hash = contestInputsHash(name);
  const paths = { dir, r1cs: join(dir, `${name}.r1cs`), wasm: join(dir, `${name}_js`, `${name}.wasm`), sym: join(dir, `${name}.sym`) };
  const infoFile = join(dir, "info.json");
  if (existsSync(infoFile) && existsSync(paths.r1cs) && existsSync(paths.wasm)) {
    const info = JSON.parse(readFileSync(infoFile, "utf8")) as { inputsHash: string; constraints: number; wires: number };
    if (info.inputsHash === hash) return { name, ...paths, constraints: info.constraints, wires: info.wires, publicInputs, inputsHash: hash, compileSeconds: 0 };
  }
  mkdirSync(buildDir, { recursive: true });
  const staging = mkdtempSync(join(buildDir, `.${name}-`));
  try {
    const started = performance.now();
    const result = spawnSync(
      process.execPath,
      [
        require.resolve("circom2/cli.js"),
        relative(ROOT, join(CIRCUITS_DIR, `${name}.circom`)),
        ...FLAGS,
        "-l",
        relative(ROOT, CIRCUITS_DIR) || ".",
        "-l",
        circomlibIncludeDir(buildDir),
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
    if (count("public inputs") !== publicInputs || count("public outputs") !== 0) throw new Error(`expected exactly ${publicInputs} public inputs:\n${output}`);
    writeFileSync(join(staging, `${name}_js`, "package.json"), '{ "type": "commonjs" }\n');
    const info = { inputsHash: hash, constraints: count("non-linear constraints"), wires: count("wires") };
    writeFileSync(join(staging, "info.json"), `${JSON.stringify({ name, ...info, publicInputs, compileSeconds }, null, 2)}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
    return { name, ...paths, ...info, publicInputs, compileSeconds };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const names = process.argv.slice(2);
  for (const name of names.length > 0 ? names : ["contest_linear_4x3"]) {
    if (!(name in CONTEST_CIRCUITS)) throw new RangeError(`unknown contest circuit "${name}"; known: ${Object.keys(CONTEST_CIRCUITS).join(", ")}`);
    const c = compileContestCircuit(name as ContestCircuitName);
    const how = c.compileSeconds > 0 ? `compiled in ${c.compileSeconds.toFixed(1)} s` : "up to date";
    console.log(`${c.name}: ${c.constraints} constraints, ${c.wires} wires, ${c.publicInputs} public inputs, ${how} -> ${relative(ROOT, c.dir)}`);
  }
}
