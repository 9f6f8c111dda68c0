/**
 * Zero-knowledge benchmark: `npm run bench:zk [-- --quick]` (hardhat run scripts/bench/zk.ts).
 *
 * For each dispute circuit with a setup, on a full test set of N samples: constraints, witness
 * time and proving time in Node (medians), proving time in headless Chromium through the Web
 * Worker prover, the proving key's size, and the gas of an on-chain verification on Hardhat's EVM
 * (of the verifier contract the setup's transcript names, compiled with the project's solc).
 * The shipped circuits have their setup checked in (circuits/artifacts/dispute_<N>/ and the
 * feature circuit dispute_<N>_f<F>/). N = 4,096 is not shipped: its proving key (about 116 MiB)
 * is too large to check in, so its setup lives in circuits/build/bench-setup, made by
 * `npm run zk:setup -- 4096 --out circuits/build/bench-setup --skip-verify [--ptau <file>]`.
 * Without a setup, a circuit still gets its constraints and witness time (compiled here,
 * cached in circuits/build) and the row says how to make the proving key.
 *
 * Times also come as ratios measured in the same run (browser to Node, proof to witness),
 * because this machine is shared and absolute seconds drift with its load.
 * Writes docs/benchmarks/zk.json and docs/benchmarks/zk.md.
 */
import { existsSync, statSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { dirname, join, relative } from "node:path";
import { network } from "hardhat";
import { encodeFunctionData, getContract, hexToBytes } from "viem";
import * as snarkjs from "snarkjs";
import { DISPUTE_CIRCUIT_SIZES, DISPUTE_FEATURE_CIRCUIT } from "../../ignition/modules/DisputeVerifier.ts";
import { disputeVerifierAbi } from "../../sdk/src/generated/abis.ts";
import { disputeCircuitInput, featureCircuitInput, type DisputeCircuitInput } from "../../sdk/src/index.ts";
import { terminateSnarkjsWorkers, toMarketProof } from "../../sdk/src/prover/disputeProof.ts";
import { browserUnavailable } from "../lib/browser/chromium.ts";
import { compileVerifier } from "../lib/compileVerifier.ts";
import { openProverPage } from "../lib/browser/proverPage.ts";
import { ROOT, compileCircuit, parseVariant } from "../zk/compile.ts";
import { BENCH_SETUP_LAYOUT, SHIPPED_LAYOUT, readTranscript, requiredPower, type SetupLayout, type SizeTranscript } from "../zk/setup.ts";

const QUICK = process.argv.includes("--quick") || process.env.BENCH_QUICK === "1";
const NODE_RUNS = QUICK ? 2 : 5;
const BROWSER_RUNS = QUICK ? 1 : 3;
/** Circuits by artifact name: the digest-only sizes, the feature circuit, and 4,096 (bench-only). */
const FEATURES = `${DISPUTE_FEATURE_CIRCUIT.size}_f${DISPUTE_FEATURE_CIRCUIT.features}`;
const CIRCUITS: readonly string[] = [...DISPUTE_CIRCUIT_SIZES.map(String), FEATURES, "4096"];
const TARGETS = { nodeProve1024Seconds: 3, browserProve1024Seconds: 10, verifyGas: 215_000 };

interface SizeResult {
  /** The circuit's artifact name: N, or N_f<F> for the feature circuit. */
  circuit: string;
  size: number;
  measured: boolean;
  reason?: string;
  /** Whether the setup is the checked-in one or a benchmark-only one (zk:setup --out). */
  setup?: "shipped" | "bench-only";
  constraints?: number;
  zkeyBytes?: number;
  witnessSeconds?: number;
  nodeProveSeconds?: number;
  nodeProveToWitness?: number;
  browserProveSeconds?: number;
  browserToNode?: number;
  browserLongestStallMs?: number;
  /** Execution gas of verifyProof (the transaction's less its intrinsic cost). */
  verifyGas?: number;
  /** The whole transaction, 21,000 base and calldata included. */
  verifyTxGas?: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const seconds = async (work: () => Promise<unknown>): Promise<number> => {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
};

/**
 * A full test set of `size` samples whose predictions reach 60% against a 90% claim: MNIST-like
 * (784 features, committed by digest), or for the feature circuit its widest listing (every
 * feature column used, 16-bit features).
 */
function fullInput(circuit: string, size: number): DisputeCircuitInput {
  const labels = Array.from({ length: size }, (_, i) => (i * 7) % 10);
  const predictions = labels.map((label, i) => (i % 5 < 3 ? label : (label + 1) % 10));
  const common = { labels, predictions, salt: 0x5a17n, tag: 0xbe7cn };
  if (circuit !== FEATURES) {
    const fields = { claimedAccuracyBps: 9000, sampleCount: size, classCount: 10, featureBits: 8, featureCount: 784 };
    return disputeCircuitInput({ ...common, featuresDigest: 0xfeedn, fields }, size);
  }
  const { features: featureCount, featureBits } = DISPUTE_FEATURE_CIRCUIT;
  const fields = { claimedAccuracyBps: 9000, sampleCount: size, classCount: 10, featureBits, featureCount };
  const features = Array.from({ length: size }, (_, s) => Array.from({ length: featureCount }, (_, f) => ((s * featureCount + f) * 2654435761) % 2 ** featureBits));
  return featureCircuitInput({ ...common, features, fields }, size, featureCount);
}

async function measure(circuit: string, viem: Awaited<ReturnType<typeof network.connect>>["viem"]): Promise<SizeResult> {
  const size = Number.parseInt(circuit, 10);
  const input = fullInput(circuit, size);
  const found = findSetup(circuit);
  if (found === undefined) return measureWithoutSetup(circuit, size, input);
  const { setup, dir, source } = found;
  const wasm = join(dir, `dispute_${circuit}.wasm`);
  const zkey = join(dir, `dispute_${circuit}.zkey`);
  const witnessTimes: number[] = [];
  const proveTimes: number[] = [];
  let proof: snarkjs.Groth16Proof | undefined;
  let publicSignals: snarkjs.PublicSignals = [];
  for (let run = 0; run < NODE_RUNS; ++run) {
    const wtns: snarkjs.MemFile = { type: "mem" };
    witnessTimes.push(await seconds(() => witness(input, wasm, wtns)));
    proveTimes.push(await seconds(async () => ({ proof, publicSignals } = await snarkjs.groth16.prove(zkey, wtns))));
  }
  await terminateSnarkjsWorkers();
  const witnessSeconds = median(witnessTimes);
  const nodeProveSeconds = median(proveTimes);

  const verifier = await deployVerifier(setup, viem);
  const calldata = toMarketProof(proof!);
  const signals = [BigInt(publicSignals[0]!), BigInt(publicSignals[1]!)] as const;
  const args = [calldata.a, calldata.b, calldata.c, signals] as const;
  if (!(await verifier.read.verifyProof(args))) throw new Error(`the N = ${size} verifier rejected a valid proof`);
  const verifyTxGas = Number(await (await viem.getPublicClient()).estimateContractGas({ address: verifier.address, abi: verifier.abi, functionName: "verifyProof", args }));
  // What the verification itself costs: the transaction less its intrinsic 21,000 and calldata.
  const data = hexToBytes(encodeFunctionData({ abi: verifier.abi, functionName: "verifyProof", args }));
  const verifyGas = verifyTxGas - 21_000 - data.reduce((gas, byte) => gas + (byte === 0 ? 4 : 16), 0);

  const result: SizeResult = {
    circuit,
    size,
    measured: true,
    setup: source,
    constraints: setup.constraints,
    zkeyBytes: statSync(zkey).size,
    witnessSeconds,
    nodeProveSeconds,
    nodeProveToWitness: nodeProveSeconds / witnessSeconds,
    verifyGas,
    verifyTxGas,
  };
  const noBrowser = browserUnavailable();
  if (noBrowser) return { ...result, reason: `browser not measured: ${noBrowser}` };
  const page = await openProverPage(dir);
  try {
    const runs: { elapsedMs: number; longestStallMs: number }[] = [];
    for (let run = 0; run < BROWSER_RUNS; ++run) {
      const r = await page.prove({ input, wasmUrl: `/circuits/dispute_${circuit}.wasm`, zkeyUrl: `/circuits/dispute_${circuit}.zkey` });
      if (!r.ok) throw new Error(`the browser prover failed for N = ${size}: ${r.error}`);
      runs.push(r);
    }
    const browserProveSeconds = median(runs.map((r) => r.elapsedMs)) / 1000;
    return {
      ...result,
      browserProveSeconds,
      browserToNode: browserProveSeconds / (witnessSeconds + nodeProveSeconds),
      browserLongestStallMs: Math.max(...runs.map((r) => r.longestStallMs)),
    };
  } finally {
    await page.close();
  }
}

const witness = (input: DisputeCircuitInput, wasm: string, wtns: snarkjs.MemFile) => snarkjs.wtns.calculate(input, wasm, wtns);

/** A circuit without a proving key: what the compiled circuit alone gives (constraints, witness time). */
async function measureWithoutSetup(circuit: string, size: number, input: DisputeCircuitInput): Promise<SizeResult> {
  const compiled = compileCircuit(parseVariant(circuit));
  const times: number[] = [];
  for (let run = 0; run < NODE_RUNS; ++run) times.push(await seconds(() => witness(input, compiled.wasm, { type: "mem" })));
  const out = relative(ROOT, dirname(BENCH_SETUP_LAYOUT.artifactsDir));
  return {
    circuit,
    size,
    measured: false,
    constraints: compiled.constraints,
    witnessSeconds: median(times),
    reason: `no proving key: it needs a powers of tau of 2^${requiredPower(compiled)} (make it with npm run zk:setup -- ${circuit} --out ${out} --skip-verify [--ptau <file>]; docs/ZK.md gives the time a local one takes here)`,
  };
}

/** The circuit's setup: the checked-in one, else a bench-only one; undefined when neither exists. */
function findSetup(circuit: string): { setup: SizeTranscript; dir: string; source: "shipped" | "bench-only" } | undefined {
  for (const layout of [SHIPPED_LAYOUT, BENCH_SETUP_LAYOUT] satisfies SetupLayout[]) {
    const setup = readTranscript(layout)?.sizes[circuit];
    const dir = join(layout.artifactsDir, `dispute_${circuit}`);
    const source = layout === SHIPPED_LAYOUT ? "shipped" : "bench-only";
    if (setup !== undefined && existsSync(join(dir, `dispute_${circuit}.zkey`))) return { setup, dir, source };
  }
  return undefined;
}

/** Deploys the verifier contract the setup wrote, compiled from its file (every verifier has IDisputeVerifier's verifyProof). */
async function deployVerifier(setup: SizeTranscript, viem: Awaited<ReturnType<typeof network.connect>>["viem"]) {
  const { abi, bytecode } = compileVerifier(join(ROOT, setup.verifier.path), setup.verifier.contract);
  const [wallet] = await viem.getWalletClients();
  const publicClient = await viem.getPublicClient();
  const hash = await wallet!.deployContract({ abi, bytecode });
  const { contractAddress } = await publicClient.waitForTransactionReceipt({ hash });
  if (!contractAddress) throw new Error(`deploying ${setup.verifier.contract} created no contract`);
  return getContract({ address: contractAddress, abi: disputeVerifierAbi, client: publicClient });
}

function table(results: SizeResult[]): string {
  const f = (x: number | undefined, digits = 2): string => (x === undefined ? "-" : x.toFixed(digits));
  const rows = results.map((r) =>
    r.measured
      ? `| ${r.circuit}${r.setup === "bench-only" ? " (bench-only setup)" : ""} | ${r.constraints?.toLocaleString("en-US") ?? "-"} | ${f(r.witnessSeconds)} | ${f(r.nodeProveSeconds)} | ${f(r.browserProveSeconds)} (x${f(r.browserToNode, 1)}) | ${((r.zkeyBytes ?? 0) / 2 ** 20).toFixed(1)} MiB | ${r.verifyGas?.toLocaleString("en-US")} (tx ${r.verifyTxGas?.toLocaleString("en-US")}) |`
      : `| ${r.circuit} | ${r.constraints?.toLocaleString("en-US") ?? "-"} | ${f(r.witnessSeconds)} | not measured: ${r.reason} | | | |`,
  );
  return [
    "| circuit (N, or N_f<features>) | constraints | witness s (Node) | prove s (Node) | prove s (Chromium, x Node) | zkey | verify gas |",
    "|---:|---:|---:|---:|---:|---:|---:|",
    ...rows,
  ].join("\n");
}

async function main(): Promise<void> {
  const { viem } = await network.connect();
  const results: SizeResult[] = [];
  for (const circuit of CIRCUITS) {
    console.log(`bench:zk: ${circuit}...`);
    results.push(await measure(circuit, viem));
  }
  const report = {
    generatedBy: "npm run bench:zk",
    date: new Date().toISOString(),
    quick: QUICK,
    runs: { node: NODE_RUNS, browser: BROWSER_RUNS },
    loadAverage: loadavg().map((x) => Number(x.toFixed(2))),
    targets: TARGETS,
    note: "Times are medians; the machine is shared, so compare ratios (browser/Node, prove/witness) across runs rather than seconds. verifyGas is the execution gas of verifyProof: eth_estimateGas less the 21,000 base and the calldata (verifyTxGas is the whole transaction).",
    results,
  };
  const docs = join(ROOT, "docs", "benchmarks");
  await mkdir(docs, { recursive: true });
  await writeFile(join(docs, "zk.json"), JSON.stringify(report, null, 2) + "\n");
  const m1024 = results.find((r) => r.circuit === "1024");
  const verdict = (ok: boolean | undefined): string => (ok === undefined ? "not measured" : ok ? "met" : "missed");
  const md = `# Zero-knowledge benchmark

Generated by \`npm run bench:zk${QUICK ? " -- --quick" : ""}\` on ${report.date} (load average ${report.loadAverage.join(", ")} on 2 cores; ${NODE_RUNS} Node runs and ${BROWSER_RUNS} browser runs per size, medians). Full test sets (n = N).

${table(results)}

Targets (issue #3): N = 1,024 proves in <= ${TARGETS.nodeProve1024Seconds} s in Node (${verdict(m1024?.nodeProveSeconds === undefined ? undefined : m1024.nodeProveSeconds + (m1024.witnessSeconds ?? 0) <= TARGETS.nodeProve1024Seconds)}: witness + proof) and <= ${TARGETS.browserProve1024Seconds} s in the browser (${verdict(m1024?.browserProveSeconds === undefined ? undefined : m1024.browserProveSeconds <= TARGETS.browserProve1024Seconds)}); verification <= ${TARGETS.verifyGas.toLocaleString("en-US")} gas (${verdict(results.every((r) => !r.measured || (r.verifyGas ?? Infinity) <= TARGETS.verifyGas))}).

The browser column includes fetching the artifacts from a local server and shows the ratio to Node's witness + proof in the same run. The longest main-thread stall while proving in the browser was ${Math.max(...results.map((r) => r.browserLongestStallMs ?? 0)).toFixed(0)} ms (the proof runs in a Web Worker).
`;
  await writeFile(join(docs, "zk.md"), md);
  console.log(md);
}

await main();
