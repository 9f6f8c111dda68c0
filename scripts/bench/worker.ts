/**
 * `npm run bench:worker [-- --quick] [--nodes=1,2,4] [--models=iris-logreg,mnist-logreg]`: the
 * seller's worker scaled out on BullMQ + Redis (offchain-worker/src/queue/), measured on this
 * machine: one HTTP front (in this process, on Hardhat's in-process chain with the real
 * contracts) and 1, 2 and 4 evaluation node processes (`main.ts --role evaluator`, one
 * evaluation thread each) with the real CKKS evaluator, serving the trained Iris and MNIST
 * logistic regressions. Closed-loop buyers (two per node) open a test-drive, upload the
 * encrypted held-out set and wait for the result; measured: test-drives per minute, latency
 * from the upload's 202 to the result being ready (p50, p95), each node's peak RSS. Each case
 * runs again with a hostile client at the same time (the zero-feature, 2^32-1-batch container
 * of issue #12 item 1 and slow-upload trickles, both refused by the front), counting its
 * refusals. Ratios are against the one-node case of the same model in the same run. Then the
 * flood phase (workerFlood.ts): the front's memory and file descriptors before, during and
 * after floods of hostile uploads. Starts its own redis-server. Writes
 * docs/benchmarks/worker.json and worker.md (not with --nodes/--models, which print the
 * table); --flood runs only the flood phase and replaces its part of worker.json; --render
 * rewrites worker.md from worker.json.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import type { LocalAccount } from "viem";
import type { WorkerHandle } from "../../offchain-worker/src/startWorker.ts";
import { BuyerSession, type HeParameters, type HePlanSummary } from "@modelbazaar/sdk/he";
import { signUpload } from "@modelbazaar/sdk/worker";
import { REDIS_MISSING, startRedisServer } from "../../test/helpers/redisServer.ts";
import { spawnEvaluationNode, type EvaluationNodeProcess } from "../../test/worker/evaluationNodeProcess.ts";
import { countsOnlyUpload, trickle } from "../../test/worker/hostileClient.ts";
import { getJson, workerFixture } from "../../test/worker/workerFixture.ts";
import { loadIris } from "../lib/datasets/iris.ts";
import { loadMnist } from "../lib/datasets/mnist.ts";
import { measureFlood, type WorkerFlood } from "./workerFlood.ts";
import { renderWorkerMarkdown, type WorkerBench, type WorkerCase } from "./workerReport.ts";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1]?.split(",");
const NODE_COUNTS = (option("nodes") ?? (quick ? ["1", "2"] : ["1", "2", "4"])).map(Number);
const MODELS = option("models") ?? ["iris-logreg", "mnist-logreg"];
const partial = Boolean(option("nodes") || option("models"));
const floodOnly = args.includes("--flood");
/** Test-drives per node per case: enough for a steady state, small enough for ~10 min in all. */
const JOBS_PER_NODE: Record<string, number> = quick ? { "iris-logreg": 6, "mnist-logreg": 2 } : { "iris-logreg": 40, "mnist-logreg": 6 };
const SAMPLES: Record<string, number> = { "iris-logreg": 30, "mnist-logreg": 100 };

const benchDir = new URL("../../docs/benchmarks/", import.meta.url);
if (args.includes("--render")) {
  writeFileSync(new URL("worker.md", benchDir), renderWorkerMarkdown(JSON.parse(readFileSync(new URL("worker.json", benchDir), "utf8")) as WorkerBench));
  console.log("rewrote docs/benchmarks/worker.md from worker.json");
  process.exit(0);
}

if (REDIS_MISSING) {
  console.error(`bench:worker needs redis-server: ${REDIS_MISSING}`);
  process.exit(1);
}

const redis = await startRedisServer();
const f = await workerFixture();
const listingOf = new Map<string, bigint>();
for (const model of MODELS) listingOf.set(model, await f.m.list(f.c, { workerSigner: f.workerAddress }));
const evaluator = {
  module: new URL("../../offchain-worker/src/he/ckksEvaluator.ts", import.meta.url).pathname,
  settings: { models: Object.fromEntries(MODELS.map((m) => [m, { onnx: new URL(`../../models/${m}.onnx`, import.meta.url).pathname }])) },
};
const listings = MODELS.map((modelId) => ({ listingId: listingOf.get(modelId)!, modelId }));
const UPLOADS_TOTAL = 32;
const front: WorkerHandle = await f.start({
  evaluator,
  listings,
  queue: { redisUrl: redis.url },
  uploadLimitBytes: 512 * 2 ** 20,
  uploadsTotal: UPLOADS_TOTAL,
  uploadRateGraceMs: 2_000,
  pollIntervalMs: 200,
});
const configPath = join(f.dataDir, "nodes.json");
await writeFile(configPath, JSON.stringify({ dataDir: "nodes", threads: 1, logLevel: "info", evaluator, listings: listings.map((l) => ({ listingId: Number(l.listingId), modelId: l.modelId })) }));
const flood = () => measureFlood(f, front, listings[0]!.listingId, UPLOADS_TOTAL);

if (floodOnly) {
  let measured: WorkerFlood;
  try {
    measured = await flood();
  } finally {
    await front.close();
    await redis.stop();
  }
  const bench = { ...(JSON.parse(readFileSync(new URL("worker.json", benchDir), "utf8")) as WorkerBench), flood: measured };
  writeFileSync(new URL("worker.json", benchDir), `${JSON.stringify(bench, null, 2)}\n`);
  writeFileSync(new URL("worker.md", benchDir), renderWorkerMarkdown(bench));
  console.log("replaced the flood phase in docs/benchmarks/worker.json and rewrote worker.md");
  process.exit(0);
}

interface Served {
  readonly plan: HePlanSummary;
  readonly encryption: HeParameters;
  readonly body: Uint8Array;
}

/** The encrypted held-out set of `model` (one upload, reused: each test-drive signs it anew). */
async function served(model: string): Promise<Served> {
  const listing = ((await getJson(front, "/listings")).json.listings as { listingId: string; plan: HePlanSummary; encryption: HeParameters }[]).find((l) => BigInt(l.listingId) === listingOf.get(model))!;
  const data = model.startsWith("iris") ? loadIris().test : loadMnist().test;
  const samples = Math.min(SAMPLES[model]!, data.sampleCount);
  const session = await BuyerSession.create(listing.plan);
  try {
    return { plan: listing.plan, encryption: listing.encryption, body: session.encryptTestSet(data.features.subarray(0, samples * data.featureCount), samples) };
  } finally {
    session.delete();
  }
}

async function waitDone(testId: bigint): Promise<void> {
  for (;;) {
    const { json } = await getJson(front, `/tests/${testId}`);
    const job = json.job as { status: string; error: string | null } | null;
    if (job?.status === "done") return;
    if (job?.status === "failed") throw new Error(`test ${testId} failed: ${job.error}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** One honest buyer: test-drives one after another until `claim()` says stop; returns each latency (ms). */
async function buyerLoop(model: string, upload: Served, claim: () => boolean): Promise<number[]> {
  const buyer = await f.newBuyer();
  const latencies: number[] = [];
  while (claim()) {
    const testId = await f.openTest(buyer, SAMPLES[model]!, listingOf.get(model)!);
    const accepted = await f.upload(front, testId, upload.body, buyer);
    if (accepted.status !== 202) throw new Error(`upload refused: ${JSON.stringify(accepted.json)}`);
    const t0 = performance.now();
    await waitDone(testId);
    latencies.push(performance.now() - t0);
  }
  return latencies;
}

/** The hostile client: zero-feature containers and slow trickles, until `stop` is set; counts the answers by status. */
async function hostile(model: string, upload: Served, stop: { done: boolean }): Promise<Record<string, number>> {
  // Two open tests of its own, so neither attack waits for the other's upload slot.
  const attacker: LocalAccount = await f.newBuyer();
  const [testId, trickledTestId] = [await f.openTest(attacker, SAMPLES[model]!, listingOf.get(model)!), await f.openTest(attacker, SAMPLES[model]!, listingOf.get(model)!)];
  const path = `/tests/${trickledTestId}/evaluations`;
  const answers: Record<string, number> = {};
  const count = (key: string) => (answers[key] = (answers[key] ?? 0) + 1);
  const zeroFeatures = async () => {
    while (!stop.done) {
      const body = countsOnlyUpload(upload.encryption);
      const response = await f.upload(front, testId, body, attacker);
      count(`zero-feature ${response.status}`);
    }
  };
  const slow = async () => {
    while (!stop.done) {
      const total = 64 * 1024;
      const answer = await trickle(front, path, await signUpload(attacker, f.context, trickledTestId, new Uint8Array(total).fill(0x5a)), { total, chunkBytes: 16, everyMs: 100 });
      count(`trickle ${answer.status}`);
    }
  };
  await Promise.all([zeroFeatures(), slow()]);
  return answers;
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : 0;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function runCase(model: string, upload: Served, nodes: EvaluationNodeProcess[], withHostile: boolean): Promise<WorkerCase> {
  const total = JOBS_PER_NODE[model]! * nodes.length;
  let claimed = 0;
  const claim = () => claimed++ < total;
  const peaks = nodes.map(() => 0);
  const sampler = setInterval(() => nodes.forEach((n, i) => (peaks[i] = Math.max(peaks[i]!, rssMb(n.child.pid!)))), 100);
  const stop = { done: false };
  const attack = withHostile ? hostile(model, upload, stop) : Promise.resolve({});
  const load = loadavg()[0]!;
  const t0 = performance.now();
  const latencies = (await Promise.all(nodes.flatMap(() => [buyerLoop(model, upload, claim), buyerLoop(model, upload, claim)]))).flat();
  const seconds = (performance.now() - t0) / 1000;
  stop.done = true;
  const hostileAnswers = await attack;
  clearInterval(sampler);
  return {
    model,
    nodes: nodes.length,
    hostile: withHostile,
    testDrives: latencies.length,
    seconds: round(seconds, 1),
    perMinute: round((latencies.length / seconds) * 60, 1),
    p50Ms: Math.round(percentile(latencies, 50)),
    p95Ms: Math.round(percentile(latencies, 95)),
    nodeRssMb: peaks.map((mb) => Math.round(mb)),
    hostileAnswers,
    loadAverage: round(load, 2),
  };
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

const cases: WorkerCase[] = [];
const uploadBytes: Record<string, number> = {};
let floodResult: WorkerFlood;
try {
  const uploads = new Map<string, Served>();
  for (const model of MODELS) {
    const upload = await served(model);
    uploads.set(model, upload);
    uploadBytes[model] = upload.body.byteLength;
  }
  for (const count of NODE_COUNTS) {
    const nodes: EvaluationNodeProcess[] = [];
    try {
      for (let i = 0; i < count; i++) nodes.push(await spawnEvaluationNode(configPath, `bench-${count}-${i}`, { MODELBAZAAR_REDIS_URL: redis.url }));
      // Warm-up, not measured: each node's first evaluation of each model.
      for (const model of MODELS) {
        let left = count;
        await Promise.all(nodes.map(() => buyerLoop(model, uploads.get(model)!, () => left-- > 0)));
      }
      for (const model of MODELS) {
        for (const withHostile of [false, true]) {
          const result = await runCase(model, uploads.get(model)!, nodes, withHostile);
          console.log(JSON.stringify(result));
          cases.push(result);
        }
      }
    } finally {
      for (const node of nodes) await node.kill("SIGTERM");
    }
  }
  floodResult = await flood();
} finally {
  await front.close();
  await redis.stop();
}

const bench: WorkerBench = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? "unknown", node: process.version },
  quick,
  jobsPerNode: JOBS_PER_NODE,
  samplesPerTestDrive: SAMPLES,
  uploadBytes,
  cases,
  flood: floodResult,
};
if (partial) {
  console.log(renderWorkerMarkdown(bench));
} else {
  writeFileSync(new URL("worker.json", benchDir), `${JSON.stringify(bench, null, 2)}\n`);
  writeFileSync(new URL("worker.md", benchDir), renderWorkerMarkdown(bench));
  console.log("wrote docs/benchmarks/worker.json and worker.md");
}
process.exit(0);
