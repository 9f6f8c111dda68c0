/**
 * Proving time and key sizes of the v2 dispute circuits (`npm run bench:disputes`): per circuit
 * with a checked-in setup (circuits/artifacts/transcript.json), the witness and the Groth16 proof
 * in Node (snarkjs, medians), from a valid input built with the SDK's builders: Refund(N) and
 * Open(N, 16) on a full test set of N samples (n = N, 75% correct against a 90% claim), the
 * contest circuits on a real sample of their shipped model (a true mismatch: the worst-scoring
 * class opened as the prediction, τ_q the listing default). Sizes and constraints are the
 * transcript's; each proof is checked against the verification key.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as snarkjs from "snarkjs";
import { encodeAbiParameters, keccak256 } from "viem";
import { compileOnnx } from "../../offchain-worker/src/he/compiler/index.ts";
import {
  ContestKind,
  CONTEST_LINEAR_CIRCUITS,
  contestLinearInput,
  provableContest,
  type SampleOpening,
  CONTEST_SQUARE_MLP_CIRCUITS,
  contestSquareMlpInput,
  defaultContestToleranceQ,
  planCommitment,
} from "@modelbazaar/sdk/disputes";
import { quantizePlan, quantizedScores } from "@modelbazaar/sdk/he";
import {
  challengeIndices,
  openCircuitInput,
  provableShortfall,
  quantizeFeatures,
  refundCircuitInput,
  type RefundWitnessSource,
  sampleSalt,
  featuresPath,
  featuresRoot,
  sampleDigest,
} from "@modelbazaar/sdk/testDrives";
import { terminateSnarkjsWorkers } from "@modelbazaar/sdk/prover";
import { seededField } from "../../test/helpers/zk.ts";
import { loadIris } from "../lib/datasets/iris.ts";
import { loadMnist } from "../lib/datasets/mnist.ts";
import { ROOT } from "../zk/compile.ts";
import { readTranscript } from "../zk/setup.ts";

/** Every v2 circuit, in report order; the first is the baseline of the time ratios. */
export const V2_CIRCUITS = ["refund_256", "open_256", "contest_linear_4x3", "contest_squaremlp_iris", "contest_linear_784x10", "refund_1024", "open_1024"] as const;
export type V2Circuit = (typeof V2_CIRCUITS)[number];
export const BASELINE_CIRCUIT: V2Circuit = "refund_256";

export interface ProvingRow {
  circuit: V2Circuit;
  measured: boolean;
  reason?: string;
  constraints?: number;
  ptauPower?: number;
  publicSignals?: number;
  zkeyBytes?: number;
  wasmBytes?: number;
  runs?: number;
  witnessSeconds?: number;
  proveSeconds?: number;
  /** witness + proof (medians of each). */
  totalSeconds?: number;
  /** The fastest and slowest witness + proof of the runs (the spread the shared machine's load gives). */
  totalRangeSeconds?: [number, number];
  /** totalSeconds / the baseline's, same run. */
  toBaseline?: number;
}

type Input = snarkjs.CircuitSignals;
const { randInt, randBits, randField } = seededField(20261207);

function sampleCircuitSource(n: number): RefundWitnessSource {
  const labels = Array.from({ length: n }, () => randInt(10));
  const correct = Math.floor((3 * n) / 4);
  const predictions = labels.map((label, i) => (i < correct ? label : (label + 1 + randInt(9)) % 10));
  const fields = { claimedAccuracyBps: 9_000, sampleCount: n, classCount: 10, featureBits: 8, featureCount: 784, shortfallBps: provableShortfall(correct, n, 9_000) };
  return { labels, predictions, featuresRoot: randField(), salt: randField(), fields, tag: randBits(128) };
}

/** A true-mismatch contest input of `circuit` on the first of `rows` whose worst-scoring class loses by more than τ. */
async function contestInput(circuit: V2Circuit, model: string, rows: number[][], featureBits: number): Promise<Input> {
  const { plan: floatPlan } = await compileOnnx(readFileSync(join(ROOT, "models", `${model}.onnx`)));
  const plan = quantizePlan(floatPlan, { scaleBits: 8 });
  const planSalt = randField();
  const salt = randField();
  const featureCount = plan.inputSize;
  const shape = { featureCount, featureBits };
  const features = quantizeFeatures(rows, { ...shape, scaleBits: 8 });
  const sigmas = features.map((_, i) => sampleSalt(salt, i));
  const digests = features.map((row, i) => sampleDigest(i, row, sigmas[i]!, shape));
  const root = featuresRoot(digests);
  const terms = { featureBits, toleranceQ: defaultContestToleranceQ(plan) };
  for (let j = 0; j < features.length; j++) {
    const scores = quantizedScores(plan, features[j]!, featureBits);
    const worst = scores.reduce((w, s, k) => (s < scores[w]! ? k : w), 0);
    const opening: SampleOpening = { index: j, features: features[j]!, sigma: sigmas[j]!, siblings: featuresPath(digests, j), prediction: worst };
    const found = provableContest(plan, root, opening, terms);
    if (found?.kind !== ContestKind.Mismatch) continue;
    const source = { planSalt, planCommitment: planCommitment(plan, planSalt), featuresRoot: root, opening, terms, ...found };
    if (plan.family === "linear") {
      const shape = CONTEST_LINEAR_CIRCUITS[circuit as keyof typeof CONTEST_LINEAR_CIRCUITS];
      return contestLinearInput({ ...source, plan }, shape) as unknown as Input;
    }
    const shapeMlp = CONTEST_SQUARE_MLP_CIRCUITS[circuit as keyof typeof CONTEST_SQUARE_MLP_CIRCUITS];
    return contestSquareMlpInput({ ...source, plan }, shapeMlp) as unknown as Input;
  }
  throw new Error(`no sample of ${model} allows a true-mismatch contest`);
}

const rowsOf = (features: Float64Array, featureCount: number, count: number): number[][] =>
  Array.from({ length: count }, (_, s) => Array.from(features.subarray(s * featureCount, (s + 1) * featureCount)));

async function inputFor(circuit: V2Circuit): Promise<Input> {
  switch (circuit) {
    case "refund_256":
    case "refund_1024": {
      const n = circuit === "refund_256" ? 256 : 1024;
      return refundCircuitInput(sampleCircuitSource(n), n) as unknown as Input;
    }
    case "open_256":
    case "open_1024": {
      const n = circuit === "open_256" ? 256 : 1024;
      const seed = keccak256(encodeAbiParameters([{ type: "uint256" }], [BigInt(randInt(2 ** 30))]));
      return openCircuitInput({ ...sampleCircuitSource(n), indices: challengeIndices(seed, n) }, n) as unknown as Input;
    }
    case "contest_linear_4x3":
      return contestInput(circuit, "iris-logreg", rowsOf(loadIris().test.features, 4, 30), 12);
    case "contest_squaremlp_iris":
      return contestInput(circuit, "iris-square-mlp", rowsOf(loadIris().test.features, 4, 30), 12);
    case "contest_linear_784x10":
      return contestInput(circuit, "mnist-logreg", rowsOf(loadMnist().test.features, 784, 32), 10);
  }
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A circuit ready to prove: its artifacts and a valid input. */
interface Prepared {
  circuit: V2Circuit;
  row: ProvingRow;
  wasm: string;
  zkey: string;
  vkey: snarkjs.Groth16VerificationKey;
  input: Input;
  witnessTimes: number[];
  proveTimes: number[];
}

/** The circuit's sizes and, unless it has no setup or `skip` says why not, its input. */
async function prepare(circuit: V2Circuit, skip?: string): Promise<Prepared | ProvingRow> {
  const entry = readTranscript()?.sizes[circuit];
  if (entry === undefined || !existsSync(join(ROOT, entry.zkey.path)) || !existsSync(join(ROOT, entry.wasm.path))) {
    return { circuit, measured: false, reason: `no setup in circuits/artifacts (npm run zk:setup -- ${circuit})` };
  }
  const vkey = JSON.parse(readFileSync(join(ROOT, entry.verificationKey.path), "utf8")) as snarkjs.Groth16VerificationKey;
  const row: ProvingRow = {
    circuit,
    measured: false,
    constraints: entry.constraints,
    ptauPower: entry.ptau.power,
    publicSignals: vkey.nPublic,
    zkeyBytes: entry.zkey.bytes,
    wasmBytes: entry.wasm.bytes,
  };
  if (skip !== undefined) return { ...row, reason: skip };
  const input = await inputFor(circuit);
  return { circuit, row, wasm: join(ROOT, entry.wasm.path), zkey: join(ROOT, entry.zkey.path), vkey, input, witnessTimes: [], proveTimes: [] };
}

/** One witness + proof of a prepared circuit; the first proof of each is checked against its verification key. */
async function proveOnce(p: Prepared): Promise<void> {
  try {
    const wtns: snarkjs.MemFile = { type: "mem" };
    let started = performance.now();
    await snarkjs.wtns.calculate(p.input, p.wasm, wtns);
    p.witnessTimes.push((performance.now() - started) / 1000);
    started = performance.now();
    const { proof, publicSignals } = await snarkjs.groth16.prove(p.zkey, wtns);
    p.proveTimes.push((performance.now() - started) / 1000);
    if (p.proveTimes.length === 1 && !(await snarkjs.groth16.verify(p.vkey, publicSignals, proof))) throw new Error(`the ${p.circuit} proof does not verify`);
  } finally {
    await terminateSnarkjsWorkers();
  }
}

/**
 * Measures every circuit `runs` times, round-robin (run 1 of each circuit, then run 2 of
 * each, …), so that a change in the shared machine's load falls on every circuit alike and the
 * ratios to the baseline stay comparable; `skip` names circuits not to prove, with the reason.
 */
export async function measureCircuits(circuits: readonly V2Circuit[], runs: number, skip: (c: V2Circuit) => string | undefined, log: (line: string) => void): Promise<ProvingRow[]> {
  const prepared: (Prepared | ProvingRow)[] = [];
  for (const circuit of circuits) prepared.push(await prepare(circuit, skip(circuit)));
  const live = prepared.filter((p): p is Prepared => "input" in p);
  for (let run = 1; run <= runs; run++) {
    log(`proving run ${run} of ${runs}: ${live.map((p) => p.circuit).join(", ")}...`);
    for (const p of live) await proveOnce(p);
  }
  return prepared.map((p) => {
    if (!("input" in p)) return p;
    const witnessSeconds = median(p.witnessTimes);
    const proveSeconds = median(p.proveTimes);
    const totals = p.witnessTimes.map((w, i) => w + p.proveTimes[i]!);
    const totalRangeSeconds: [number, number] = [Math.min(...totals), Math.max(...totals)];
    return { ...p.row, measured: true, runs, witnessSeconds, proveSeconds, totalSeconds: witnessSeconds + proveSeconds, totalRangeSeconds };
  });
}

/** Fills `toBaseline` from the baseline circuit's measured total. */
export function withRatios(rows: ProvingRow[]): ProvingRow[] {
  const base = rows.find((r) => r.circuit === BASELINE_CIRCUIT)?.totalSeconds;
  return rows.map((r) => (base === undefined || r.totalSeconds === undefined ? r : { ...r, toBaseline: r.totalSeconds / base }));
}
