/**
 * bench:worker's flood phase (issue #12, finding 8): the front's memory and open file
 * descriptors before, during and after floods of hostile uploads. The front runs in this
 * process (with Hardhat's in-process chain); the hostile client in its own
 * (workerFloodClient.ts), so what is measured is the front and the chain, not the attacker.
 * Sampled every 50 ms during each round; after a round, once the client has exited and the
 * front's descriptors and incoming uploads are back, a full garbage collection, then one more
 * sample. The rounds repeat the same flood: memory that a round keeps and the next reuses
 * shows as a flat "after" line, memory that leaks as one that climbs.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { text } from "node:stream/consumers";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { LocalAccount } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { HeParameters } from "@modelbazaar/sdk/he";
import type { WorkerHandle } from "../../offchain-worker/src/startWorker.ts";
import { openFileDescriptors } from "../../test/worker/hostileClient.ts";
import { getJson, waitForStatus, type workerFixture } from "../../test/worker/workerFixture.ts";
import type { FloodAttacker, FloodPlan } from "./workerFloodClient.ts";

const CLIENT = new URL("./workerFloodClient.ts", import.meta.url).pathname;
const ROUNDS = 3;
const ZERO_FEATURE_UPLOADS = 2_000;
/** 8 attackers with 3 tests each (one over the per-buyer cap) send the zero-feature containers. */
const ZERO_FEATURE_ATTACKERS = { attackers: 8, testsEach: 3 };
/** 16 attackers with 2 tests each trickle and abandon: with the 24 zero-feature lanes, 56 at once against the front's total cap. */
const SLOW_ATTACKERS = { attackers: 16, testsEach: 2 };
const SLOW_UPLOADS_PER_LANE = 10;
const SLOW_BYTES = 64 * 1024;

export interface MemorySample {
  readonly rssMb: number;
  readonly heapUsedMb: number;
  /** What V8 holds for its heap (used or not): the part of RSS a GC does not give back at once. */
  readonly heapTotalMb: number;
  /** Memory outside V8's heap that V8 accounts for (Buffers and ArrayBuffers among it). */
  readonly externalMb: number;
  readonly openFds: number;
}

export interface FloodRound {
  readonly seconds: number;
  readonly peak: MemorySample;
  /** After the client exited, the front settled and a full GC ran. */
  readonly after: MemorySample;
  /** The hostile client's answers by kind and HTTP status. */
  readonly answers: Record<string, number>;
}

export interface WorkerFlood {
  readonly date: string;
  readonly uploadsTotal: number;
  readonly zeroFeatureUploads: number;
  readonly zeroFeatureLanes: number;
  readonly slowUploads: number;
  readonly slowLanes: number;
  readonly slowBytes: number;
  /** MALLOC_ARENA_MAX of the run, if set. */
  readonly mallocArenaMax: string | null;
  readonly baseline: MemorySample;
  readonly rounds: readonly FloodRound[];
}

type Fixture = Awaited<ReturnType<typeof workerFixture>>;

setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as (options?: { type: "major" }) => void;

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

function sample(): MemorySample {
  const usage = process.memoryUsage();
  return { rssMb: mb(usage.rss), heapUsedMb: mb(usage.heapUsed), heapTotalMb: mb(usage.heapTotal), externalMb: mb(usage.external), openFds: openFileDescriptors() };
}

const peakOf = (a: MemorySample, b: MemorySample): MemorySample => ({
  rssMb: Math.max(a.rssMb, b.rssMb),
  heapUsedMb: Math.max(a.heapUsedMb, b.heapUsedMb),
  heapTotalMb: Math.max(a.heapTotalMb, b.heapTotalMb),
  externalMb: Math.max(a.externalMb, b.externalMb),
  openFds: Math.max(a.openFds, b.openFds),
});

async function openAttackers(f: Fixture, listingId: bigint, { attackers, testsEach }: { attackers: number; testsEach: number }): Promise<FloodAttacker[]> {
  const opened: FloodAttacker[] = [];
  for (let i = 0; i < attackers; i++) {
    const key = generatePrivateKey();
    const account: LocalAccount = privateKeyToAccount(key);
    await f.m.networkHelpers.setBalance(account.address, 10n ** 20n);
    const testIds: string[] = [];
    for (let t = 0; t < testsEach; t++) testIds.push((await f.openTest(account, 30, listingId)).toString());
    opened.push({ key, testIds });
  }
  return opened;
}

/** Runs the client process on `plan`; resolves with its answers once it has exited. */
async function runClient(plan: FloodPlan): Promise<Record<string, number>> {
  const child = spawn(process.execPath, [CLIENT], { stdio: ["pipe", "pipe", "inherit"] });
  child.stdin.end(JSON.stringify(plan));
  const [output, [code]] = await Promise.all([text(child.stdout), once(child, "exit") as Promise<[number | null]>]);
  if (code !== 0) throw new Error(`the flood client exited with ${code}`);
  return JSON.parse(output) as Record<string, number>;
}

/** Waits (polling, up to 60 s) until the front holds no upload and at most 4 descriptors more than at `baseline` (as hostileUploads.test.ts). */
async function settled(dataDir: string, baseline: MemorySample): Promise<void> {
  const incoming = join(dataDir, "blobs", "incoming");
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    if (openFileDescriptors() <= baseline.openFds + 4 && readdirSync(incoming).length === 0) return;
  }
  throw new Error(`the front did not settle: ${openFileDescriptors()} descriptors open (${baseline.openFds} before), ${readdirSync(incoming).length} uploads incoming`);
}

/**
 * Floods `front` (serving `f.listingId`, started with `uploadsTotal`) {@link ROUNDS} times and
 * measures this process. `f.listingId` must be a listing the front serves with the CKKS evaluator.
 */
export async function measureFlood(f: Fixture, front: WorkerHandle, listingId: bigint, uploadsTotal: number): Promise<WorkerFlood> {
  const listing = ((await getJson(front, "/listings")).json.listings as { listingId: string; encryption: HeParameters }[]).find((l) => BigInt(l.listingId) === listingId)!;
  const zeroFeatureAttackers = await openAttackers(f, listingId, ZERO_FEATURE_ATTACKERS);
  const slowAttackers = await openAttackers(f, listingId, SLOW_ATTACKERS);
  const lastTest = BigInt(slowAttackers.at(-1)!.testIds.at(-1)!);
  await waitForStatus(front, lastTest, (s) => s.test !== null, 60_000);
  const plan: FloodPlan = {
    url: front.url,
    context: f.context,
    encryption: listing.encryption,
    zeroFeatureUploads: ZERO_FEATURE_UPLOADS,
    zeroFeatureAttackers,
    slowUploadsPerLane: SLOW_UPLOADS_PER_LANE,
    slowAttackers,
    slowBytes: SLOW_BYTES,
    abandonedAfterBytes: SLOW_BYTES / 8,
  };
  collectGarbage({ type: "major" });
  const baseline = sample();
  const rounds: FloodRound[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let peak = sample();
    const sampler = setInterval(() => (peak = peakOf(peak, sample())), 50);
    const t0 = performance.now();
    const answers = await runClient(plan);
    const seconds = Math.round((performance.now() - t0) / 100) / 10;
    clearInterval(sampler);
    await settled(f.dataDir, baseline);
    collectGarbage({ type: "major" });
    rounds.push({ seconds, peak, after: sample(), answers });
    console.log(JSON.stringify(rounds.at(-1)));
  }
  const lanes = (attackers: FloodAttacker[]) => attackers.reduce((n, a) => n + a.testIds.length, 0);
  return {
    date: new Date().toISOString(),
    uploadsTotal,
    zeroFeatureUploads: ZERO_FEATURE_UPLOADS,
    zeroFeatureLanes: lanes(zeroFeatureAttackers),
    slowUploads: lanes(slowAttackers) * SLOW_UPLOADS_PER_LANE,
    slowLanes: lanes(slowAttackers),
    slowBytes: SLOW_BYTES,
    mallocArenaMax: process.env.MALLOC_ARENA_MAX ?? null,
    baseline,
    rounds,
  };
}
