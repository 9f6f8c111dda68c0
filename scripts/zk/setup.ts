/**
 * The Groth16 setup of the dispute circuits, offline and recorded:
 *
 *   npm run zk:setup                                 # refund_256
 *   npm run zk:setup -- refund_256 open_256          # the refund and Open circuits (refund_<N>, open_<N>)
 *   npm run zk:setup -- contest_linear_4x3           # a contest main (compile.ts's CONTEST_CIRCUITS)
 *   npm run zk:setup -- refund_1024 --ptau pot.ptau  # phase 1 from a public ceremony file
 *   npm run zk:setup -- refund_4096 --out DIR --skip-verify   # not shipped: written under DIR
 *
 * For each circuit (compile.ts names them: refund_<N> and open_<N> are Refund(N) and
 * Open(N, 16), contest_* the contest mains of docs/DISPUTES.md §5.3; one code path serves
 * them all through SetupTarget) it compiles it, takes phase 1 (the powers of tau) from
 * `--ptau` (a prepared public ceremony file such as the Hermez / perpetual powers of tau: what a
 * production deployment uses) or from the local cache circuits/ptau-cache/pot<p>_final.ptau,
 * generating and caching a local one when none is large enough (new accumulator, one CSPRNG
 * contribution, a beacon, prepare phase 2: fine for development, worthless as a ceremony since
 * one machine knows its toxic waste). Phase 2: newZKey, one contribution with CSPRNG entropy,
 * a beacon (its hash recorded), then verifyFromR1cs. Writes
 *
 *   circuits/artifacts/<name>/{<name>.wasm, <name>.zkey, verification_key.json}
 *   contracts/verifiers/<contract>.sol   (snarkjs's Groth16 template, contract renamed:
 *                                         RefundVerifier<N>, OpenVerifier<N>, or the contest
 *                                         main's, e.g. ContestLinearVerifier4x3)
 *   circuits/artifacts/transcript.json   (every input and artifact hash, per circuit, keyed by its
 *                                         command-line name: "refund_256", "contest_linear_4x3")
 *
 * `--out DIR` writes the same files under DIR instead ({artifacts,verifiers}/...): for circuits
 * the deployment does not ship, such as a size whose proving key is too large to check in.
 * `--skip-verify` skips verifyFromR1cs (recorded as such; the shipped circuits' tests refuse
 * it), which on a large circuit takes about as long as the rest of phase 2.
 *
 * The setup is reproducible in procedure, not in bytes: contributions are random. Rerunning it
 * replaces the circuit's artifacts and its transcript entry; test/zk/disputeV2Setup.test.ts
 * fails when the checked-in artifacts and the circuit sources drift apart. docs/ZK.md describes the multi-party ceremony a production deployment
 * needs instead of this single contribution.
 */
import { createHash, randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import * as snarkjs from "snarkjs";
import {
  CIRCUITS_DIR,
  CONTEST_CIRCUITS,
  OPEN_SLOTS,
  ROOT,
  circuitName,
  compileCircuit,
  compileContestCircuit,
  contestInputsHash,
  inputsHash,
  parseCircuit,
  toVariant,
  variantKey,
  verifierContract,
  type CircuitVariant,
  type CompiledMain,
  type ContestCircuitName,
} from "./compile.ts";

const require = createRequire(import.meta.url);
export const ARTIFACTS_DIR = join(CIRCUITS_DIR, "artifacts");
export const PTAU_CACHE_DIR = join(CIRCUITS_DIR, "ptau-cache");
/** 2^BEACON_ITERATIONS_EXP hash iterations of the beacon (snarkjs's default is 10). */
const BEACON_ITERATIONS_EXP = 10;

/** Where a setup writes its artifacts, its verifier contracts and its transcript. */
export interface SetupLayout {
  artifactsDir: string;
  verifiersDir: string;
  transcriptFile: string;
}

/** The checked-in setup of the circuits the deployment ships. */
export const SHIPPED_LAYOUT: SetupLayout = {
  artifactsDir: ARTIFACTS_DIR,
  verifiersDir: join(ROOT, "contracts", "verifiers"),
  transcriptFile: join(ARTIFACTS_DIR, "transcript.json"),
};

/** A setup kept out of the repository and the build, under `dir` (zk:setup's `--out`). */
export function layoutUnder(dir: string): SetupLayout {
  const artifactsDir = join(dir, "artifacts");
  return { artifactsDir, verifiersDir: join(dir, "verifiers"), transcriptFile: join(artifactsDir, "transcript.json") };
}

export interface FileRecord {
  /** Relative to the repository root. */
  path: string;
  sha256: string;
  bytes: number;
}

/**
 * Which circuit an entry sets up: a refund or Open variant (its size and statement, as toVariant
 * gives them), or a contest main by name.
 */
export type SetupCircuitRecord =
  | (CircuitVariant & { contest?: never })
  | { contest: ContestCircuitName; size?: never; statement?: never };

/** One circuit's transcript entry (the name dates from when every circuit was a size). */
export type SizeTranscript = SetupCircuitRecord & SetupRecord;

/** What every entry records, whatever its circuit. */
export interface SetupRecord {
  constraints: number;
  wires: number;
  /** compile.ts's hash of the circuit sources, circomlib and circom2 versions and flags (SetupTarget's inputsHash). */
  inputsHash: string;
  r1csSha256: string;
  /** `power` is the file's, `requiredPower` the circuit's (a larger file serves a smaller circuit). */
  ptau: { power: number; requiredPower: number; sha256: string; source: "local-cache" | "external"; file: string };
  wasm: FileRecord;
  zkey: FileRecord;
  verificationKey: FileRecord;
  verifier: FileRecord & { contract: string };
  phase2: {
    contributionHash: string;
    beacon: { hash: string; iterationsExp: number; contributionHash: string };
  };
  verifyFromR1cs: boolean;
  seconds: Record<string, number>;
  date: string;
}

export interface Transcript {
  generatedBy: string;
  note: string;
  snarkjs: string;
  /** Keyed by SetupTarget's key: "256", "1024", "256_f8", "refund_256", "open_256", "contest_linear_4x3"... */
  sizes: Record<string, SizeTranscript>;
}

export const sha256File = (file: string): string => createHash("sha256").update(readFileSync(file)).digest("hex");
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");
const fileRecord = (file: string): FileRecord => ({ path: relative(ROOT, file), sha256: sha256File(file), bytes: statSync(file).size });
// snarkjs's "exports" hide its package.json and templates: find them from its CommonJS entry (build/main.cjs).
const SNARKJS_DIR = dirname(dirname(require.resolve("snarkjs")));
const snarkjsVersion = (): string => (JSON.parse(readFileSync(join(SNARKJS_DIR, "package.json"), "utf8")) as { version: string }).version;

const quiet: snarkjs.Logger = { log: () => {}, info: () => {}, warn: (m) => console.warn(m), error: (m) => console.error(m), debug: () => {} };

/** The smallest power p with 2^p >= the domain snarkjs's newZKey needs for the circuit. */
export function requiredPower(c: Pick<CompiledMain, "constraints">): number {
  // zkey_new.js: cirPower = floor(log2(nConstraints + nPubInputs + nOutputs)) + 1.
  return Math.floor(Math.log2(c.constraints + 2)) + 1;
}

/** The power of a prepared ptau file (its header). */
function ptauPower(file: string): number {
  const buf = readFileSync(file).subarray(0, 4096);
  if (buf.subarray(0, 4).toString("latin1") !== "ptau") throw new Error(`${file} is not a ptau file`);
  // Section 1 (header): n8 (u32), q (n8 bytes), power (u32), ceremonyPower (u32).
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const nSections = view.getUint32(8, true);
  let pos = 12;
  for (let s = 0; s < nSections; s++) {
    const type = view.getUint32(pos, true);
    if (type === 1) {
      const n8 = view.getUint32(pos + 12, true);
      return view.getUint32(pos + 12 + 4 + n8, true);
    }
    pos += 12 + Number(view.getBigUint64(pos + 4, true));
  }
  throw new Error(`${file} has no header section`);
}

async function timed<T>(seconds: Record<string, number>, step: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await run();
  seconds[step] = Math.round((performance.now() - started) / 100) / 10;
  console.log(`  ${step}: ${seconds[step]} s`);
  return result;
}

/** A local (development) phase 1 of 2^power, cached as pot<power>_final.ptau. */
export async function localPtau(power: number): Promise<string> {
  const cached = readdirSync(PTAU_CACHE_DIR, { withFileTypes: true })
    .map((e) => /^pot(\d+)_final\.ptau$/.exec(e.name))
    .filter((m): m is RegExpExecArray => m !== null && Number(m[1]) >= power)
    .sort((a, b) => Number(a[1]) - Number(b[1]));
  if (cached[0]) return join(PTAU_CACHE_DIR, cached[0][0]);

  console.log(`  generating a local powers of tau of 2^${power} (development only)`);
  const seconds: Record<string, number> = {};
  const tmp = join(PTAU_CACHE_DIR, `.pot${power}-${process.pid}`);
  mkdirSync(tmp, { recursive: true });
  try {
    const curve = await snarkjs.curves.getCurveFromName("bn128");
    const [f0, f1, f2, f3] = ["0000", "0001", "beacon", "final"].map((s) => join(tmp, `pot${power}_${s}.ptau`)) as [string, string, string, string];
    await timed(seconds, "ptau new", () => snarkjs.powersOfTau.newAccumulator(curve, power, f0, quiet));
    await timed(seconds, "ptau contribute", () =>
      snarkjs.powersOfTau.contribute(f0, f1, "ModelBazaar local contribution", randomBytes(32).toString("hex"), quiet),
    );
    const beacon = randomBytes(32).toString("hex");
    const ok = await timed(seconds, "ptau beacon", () =>
      snarkjs.powersOfTau.beacon(f1, f2, "ModelBazaar local beacon", beacon, BEACON_ITERATIONS_EXP, quiet),
    );
    if (ok === false) throw new Error("powersOfTau.beacon failed");
    await timed(seconds, "ptau prepare phase 2", () => snarkjs.powersOfTau.preparePhase2(f2, f3, quiet));
    const final = join(PTAU_CACHE_DIR, `pot${power}_final.ptau`);
    renameSync(f3, final);
    return final;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** A circuit zk:setup sets up: a refund or Open variant, or a contest main by name. */
export type SetupCircuit = CircuitVariant | ContestCircuitName;

/** Everything the setup needs to know of one circuit, whatever its kind. */
export interface SetupTarget {
  /** Its transcript key and command-line name: variantKey ("refund_256"), or the contest main's name. */
  key: string;
  /** The name of its artifact directory and files (circuitName, or the contest main's name). */
  name: string;
  /** Its Solidity verifier's contract name. */
  contract: string;
  /** What the verifier's banner says it verifies (one sentence; the banner wraps it). */
  describes: string;
  /** What its transcript entry records of it. */
  record: SetupCircuitRecord;
  /** compile.ts's hash of its build inputs, without compiling it. */
  inputsHash: () => string;
  /** Compiles it, or reuses its cached build. */
  compile: () => CompiledMain;
}

/** The setup target of a circuit: the one place where the kinds of circuit differ. */
export function setupTarget(circuit: SetupCircuit): SetupTarget {
  if (typeof circuit === "string") {
    const { component, serves, template, verifier } = CONTEST_CIRCUITS[circuit];
    return {
      key: circuit,
      name: circuit,
      contract: verifier,
      describes: `the contest circuit ${component} of circuits/${circuit}.circom (template circuits/${template}; docs/DISPUTES.md §5.3), for ${serves}`,
      record: { contest: circuit },
      inputsHash: () => contestInputsHash(circuit),
      compile: () => compileContestCircuit(circuit),
    };
  }
  const variant = toVariant(circuit);
  const { size, statement } = variant;
  const describes =
    statement === "refund"
      ? `the v2 refund circuit Refund(${size}) for up to ${size} samples (circuits/refund.circom; docs/DISPUTES.md §5.1)`
      : `the v2 Open circuit Open(${size}, ${OPEN_SLOTS}), the buyer's opening of ${OPEN_SLOTS} of up to ${size} samples (circuits/open.circom; docs/DISPUTES.md §5.2)`;
  return {
    key: variantKey(variant),
    name: circuitName(variant),
    contract: verifierContract(variant),
    describes,
    record: variant,
    inputsHash: () => inputsHash(variant),
    compile: () => compileCircuit(variant),
  };
}

/** `text` as // comment lines of at most BANNER_WIDTH columns, broken between words. */
const BANNER_WIDTH = 100;
function commentLines(text: string): string {
  const lines: string[] = [];
  for (const word of text.split(" ")) {
    const last = lines.at(-1);
    if (last !== undefined && `${last} ${word}`.length <= BANNER_WIDTH) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(`// ${word}`);
  }
  return lines.join("\n");
}

const BANNER = (target: SetupTarget, transcriptPath: string, outArg: string): string => `// GENERATED FILE - DO NOT EDIT.
${commentLines(`The Groth16 verifier of ${target.describes},`)}
// written by scripts/zk/setup.ts from snarkjs's template (contract renamed). Regenerate it with
// \`npm run zk:setup -- ${target.key}${outArg}\`; its hash and those of its zkey are in ${transcriptPath}.
`;

/** Renders snarkjs's Groth16 template for `zkey` as the circuit's verifier contract (SetupTarget's contract). */
export async function solidityVerifier(zkey: string, circuit: SetupCircuit, layout: SetupLayout = SHIPPED_LAYOUT): Promise<string> {
  const target = setupTarget(circuit);
  const template = readFileSync(join(SNARKJS_DIR, "templates", "verifier_groth16.sol.ejs"), "utf8");
  const rendered = await snarkjs.zKey.exportSolidityVerifier(zkey, { groth16: template }, quiet);
  const renamed = rendered.replace(/\bcontract Groth16Verifier\b/, `contract ${target.contract}`);
  if (renamed === rendered) throw new Error("snarkjs's verifier template changed shape: no `contract Groth16Verifier`");
  const [spdx, ...rest] = renamed.split("\n");
  if (!spdx?.startsWith("// SPDX-License-Identifier:")) throw new Error("snarkjs's verifier template lacks its SPDX line");
  const outArg = layout === SHIPPED_LAYOUT ? "" : ` --out ${relative(ROOT, dirname(layout.artifactsDir))}`;
  return [spdx, BANNER(target, relative(ROOT, layout.transcriptFile), outArg), ...rest].join("\n");
}

export function readTranscript(layout: SetupLayout = SHIPPED_LAYOUT): Transcript | undefined {
  return existsSync(layout.transcriptFile) ? (JSON.parse(readFileSync(layout.transcriptFile, "utf8")) as Transcript) : undefined;
}

export interface SetupOptions {
  /** A prepared phase-1 file (a public ceremony's); by default the local cache, generated when missing. */
  readonly ptau?: string;
  /** Where to write; by default the checked-in SHIPPED_LAYOUT. */
  readonly layout?: SetupLayout;
  /**
   * Runs verifyFromR1cs (the default). Skipping it (`--skip-verify`) saves about as long as the
   * setup itself on large circuits and is recorded as `verifyFromR1cs: false`, which the
   * shipped circuits' tests refuse: it is for benchmark-only setups.
   */
  readonly verify?: boolean;
}

/** Sets up one circuit and returns its transcript entry (setup() records it). */
export async function setupCircuit(
  which: SetupCircuit,
  { ptau: externalPtau, layout = SHIPPED_LAYOUT, verify = true }: SetupOptions = {},
): Promise<SizeTranscript> {
  const target = setupTarget(which);
  const { name } = target;
  console.log(`${name}:`);
  const seconds: Record<string, number> = {};
  const circuit = target.compile();
  seconds["compile"] = Math.round(circuit.compileSeconds * 10) / 10; // 0 when compile.ts reused its cached build
  const power = requiredPower(circuit);
  console.log(`  ${circuit.constraints} constraints, needs a powers of tau of 2^${power}`);

  mkdirSync(PTAU_CACHE_DIR, { recursive: true });
  const ptau = externalPtau ?? (await localPtau(power));
  const havePower = ptauPower(ptau);
  if (havePower < power) throw new Error(`${ptau} holds 2^${havePower} powers; ${name} needs 2^${power}`);

  const outDir = join(layout.artifactsDir, name);
  const staging = join(layout.artifactsDir, `.${name}-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    const z0 = join(staging, `${name}_0000.zkey`);
    const z1 = join(staging, `${name}_0001.zkey`);
    const zkey = join(staging, `${name}.zkey`);
    await timed(seconds, "newZKey", () => snarkjs.zKey.newZKey(circuit.r1cs, ptau, z0, quiet));
    const contributionHash = await timed(seconds, "contribute", () =>
      snarkjs.zKey.contribute(z0, z1, "ModelBazaar setup contribution", randomBytes(32).toString("hex"), quiet),
    );
    const beaconHash = randomBytes(32).toString("hex");
    const beaconContribution = await timed(seconds, "beacon", () =>
      snarkjs.zKey.beacon(z1, zkey, "ModelBazaar setup beacon", beaconHash, BEACON_ITERATIONS_EXP, quiet),
    );
    if (beaconContribution === false) throw new Error("zKey.beacon failed");
    const verified = verify && (await timed(seconds, "verifyFromR1cs", () => snarkjs.zKey.verifyFromR1cs(circuit.r1cs, ptau, zkey, quiet)));
    if (verify && !verified) throw new Error(`the zkey of ${name} does not verify against its r1cs and ptau`);
    const vkey = await snarkjs.zKey.exportVerificationKey(zkey, quiet);
    const verifierSource = await solidityVerifier(zkey, which, layout);
    rmSync(z0);
    rmSync(z1);
    copyFileSync(circuit.wasm, join(staging, `${name}.wasm`));
    writeFileSync(join(staging, "verification_key.json"), `${JSON.stringify(vkey, null, 2)}\n`);

    rmSync(outDir, { recursive: true, force: true });
    renameSync(staging, outDir);
    mkdirSync(layout.verifiersDir, { recursive: true });
    const verifierFile = join(layout.verifiersDir, `${target.contract}.sol`);
    writeFileSync(verifierFile, verifierSource);

    return {
      ...target.record,
      constraints: circuit.constraints,
      wires: circuit.wires,
      inputsHash: circuit.inputsHash,
      r1csSha256: sha256File(circuit.r1cs),
      ptau: {
        power: havePower,
        requiredPower: power,
        sha256: sha256File(ptau),
        source: externalPtau === undefined ? "local-cache" : "external",
        file: basename(ptau),
      },
      wasm: fileRecord(join(outDir, `${name}.wasm`)),
      zkey: fileRecord(join(outDir, `${name}.zkey`)),
      verificationKey: fileRecord(join(outDir, "verification_key.json")),
      verifier: { ...fileRecord(verifierFile), contract: target.contract },
      phase2: {
        contributionHash: hex(contributionHash),
        beacon: { hash: beaconHash, iterationsExp: BEACON_ITERATIONS_EXP, contributionHash: hex(beaconContribution) },
      },
      verifyFromR1cs: verified,
      seconds,
      date: new Date().toISOString(),
    };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Sets up each circuit in turn and records it in the transcript as soon as it is done. The
 * transcript is read again before each write, so setups of different circuits may run in
 * parallel processes without losing each other's entries.
 */
export async function setup(circuits: readonly SetupCircuit[], options: SetupOptions = {}): Promise<Transcript> {
  const layout = options.layout ?? SHIPPED_LAYOUT;
  let transcript = readTranscript(layout) ?? emptyTranscript();
  try {
    for (const circuit of circuits) {
      const entry = await setupCircuit(circuit, options);
      transcript = readTranscript(layout) ?? emptyTranscript();
      transcript.snarkjs = snarkjsVersion();
      transcript.sizes[setupTarget(circuit).key] = entry;
      mkdirSync(layout.artifactsDir, { recursive: true });
      writeFileSync(layout.transcriptFile, `${JSON.stringify(transcript, null, 2)}\n`);
    }
  } finally {
    // snarkjs caches the BN254 curve, with its worker threads, on globalThis.
    await (globalThis as { curve_bn128?: snarkjs.Curve }).curve_bn128?.terminate();
  }
  return transcript;
}

function emptyTranscript(): Transcript {
  return {
    generatedBy: "scripts/zk/setup.ts",
    note: "GENERATED FILE - DO NOT EDIT. Rerun `npm run zk:setup -- <circuits>` instead.",
    snarkjs: snarkjsVersion(),
    sizes: {},
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  /** Removes `--flag <value>` from args and returns the value resolved as a path. */
  const pathOption = (flag: string, what: string): string | undefined => {
    const at = args.indexOf(flag);
    if (at < 0) return undefined;
    const value = args[at + 1];
    if (value === undefined || value.startsWith("--")) throw new Error(`${flag} needs ${what}`);
    args.splice(at, 2);
    return resolve(value);
  };
  try {
    const ptau = pathOption("--ptau", "a prepared powers-of-tau file");
    if (ptau !== undefined && !existsSync(ptau)) throw new Error(`--ptau: no file ${ptau}`);
    const out = pathOption("--out", "a directory");
    const skipVerify = args.indexOf("--skip-verify");
    if (skipVerify >= 0) args.splice(skipVerify, 1);
    const parsed: SetupCircuit[] = args.map(parseCircuit);
    const circuits = parsed.length > 0 ? parsed : [toVariant({ statement: "refund", size: 256 })];
    const layout = out === undefined ? SHIPPED_LAYOUT : layoutUnder(out);
    const transcript = await setup(circuits, { ptau, layout, verify: skipVerify < 0 });
    for (const circuit of circuits) {
      const { key, name } = setupTarget(circuit);
      const t = transcript.sizes[key]!;
      console.log(`${name}: ${t.constraints} constraints, zkey ${(t.zkey.bytes / 2 ** 20).toFixed(1)} MiB, ${t.verifier.path}`);
    }
  } catch (error) {
    console.error(`zk:setup: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
