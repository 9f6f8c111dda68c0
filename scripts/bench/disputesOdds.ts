/**
 * The pure half of `npm run bench:disputes` (docs/DISPUTES.md §4.1–§4.2): for a buyer lying on a
 * fraction f of n predictions, the catch probability with k open slots, analytic (the SDK's
 * `catchProbability`) and simulated by drawing the indices exactly as `RefundDisputes.openSamples`
 * does; and the expected gain of the dishonest dispute (`dishonestGain`, `worstCaseGain`).
 *
 * The draw (sdk/src/testDrives/challengeIndices.ts): draw t = uint256(keccak256(abi.encode(
 * bytes32 seed, uint256 t))) mod n, t = 0, 1, …, duplicates skipped, the first k distinct draws.
 * The SDK (and the contract) fix k at OPEN_SLOTS = 16; `drawIndices` is the same procedure for any
 * k. Because draws are taken in order, the first k distinct draws of a seed are a prefix of its
 * first 32, so one draw of 32 per trial serves k = 4, 8, 16 and 32. At k = 16 the simulation uses
 * the SDK's `challengeIndices` itself, and counts the trials where the generalised draw's prefix
 * differs from it (it must be 0).
 */
import { bytesToHex, keccak256 } from "viem";
import {
  catchProbability,
  catchProbabilityApprox,
  dishonestDispute,
  worstCaseGain,
  type DisputeEconomicsTerms,
} from "@modelbazaar/sdk/disputes";
import { OPEN_SLOTS, challengeIndices } from "@modelbazaar/sdk/testDrives";
import { seededRandom } from "../../test/helpers/seededRandom.ts";

/** The lie fractions of the grid: 1/n, then whole basis points of n (m = ceil(f·n)). */
export const LIE_FRACTIONS = [
  { label: "1/n", bps: undefined },
  { label: "1%", bps: 100 },
  { label: "5%", bps: 500 },
  { label: "10%", bps: 1_000 },
  { label: "25%", bps: 2_500 },
  { label: "50%", bps: 5_000 },
  { label: "100%", bps: 10_000 },
] as const;
export const OPEN_SLOT_CHOICES = [4, 8, 16, 32] as const;

export type LieFraction = (typeof LIE_FRACTIONS)[number];

/** m = ceil(f·n), at least 1 (f = 1/n gives 1). */
export const liesFor = (f: LieFraction, n: number): number => (f.bps === undefined ? 1 : Math.max(1, Math.ceil((f.bps * n) / 10_000)));

/** uint256(hash) mod n, from the hash's 32 big-endian bytes (n < 2^32, so every step stays exact). */
function modOf(hash: Uint8Array, n: number): number {
  let r = 0;
  for (const byte of hash) r = (r * 256 + byte) % n;
  return r;
}

/**
 * The first k distinct draws of `seed` over n samples, in draw order: challengeIndices.ts's
 * procedure with k open slots instead of OPEN_SLOTS (k_eff = min(k, n)). abi.encode(bytes32,
 * uint256) is the 32 seed bytes then t as 32 big-endian bytes, hashed here without viem's encoder.
 */
export function drawIndices(seed: Uint8Array, n: number, k: number): number[] {
  const want = Math.min(k, n);
  const buffer = new Uint8Array(64);
  buffer.set(seed, 0);
  const view = new DataView(buffer.buffer);
  const taken = new Set<number>();
  const indices: number[] = [];
  for (let t = 0; indices.length < want; t++) {
    if (t >= 2 ** 32) throw new Error("unreachable: too many draws");
    view.setUint32(60, t);
    const index = modOf(keccak256(buffer, "bytes"), n);
    if (!taken.has(index)) {
      taken.add(index);
      indices.push(index);
    }
  }
  return indices;
}

export interface CatchCell {
  fraction: string;
  lies: number;
  openSlots: number;
  /** Exact hypergeometric P (the SDK's catchProbability). */
  analytic: number;
  /** The doc's approximation 1 − (1 − m/n)^k. */
  approx: number;
  /** Trials in which a drawn index was a lie, of `trials`. */
  caught: number;
  trials: number;
  simulated: number;
  /** Binomial standard error of the simulated rate, from the analytic P (0 when P is 0 or 1). */
  standardError: number;
  /** (simulated − analytic)/standardError; undefined when the standard error is 0. */
  z?: number;
  /** Whether the draw at this k is the SDK's own `challengeIndices` (k = 16). */
  sdkDraw: boolean;
}

export interface CatchSimulation {
  sampleCount: number;
  trials: number;
  seed: number;
  cells: CatchCell[];
  /** Trials where the generalised draw's first 16 differ from the SDK's challengeIndices: must be 0. */
  sdkMismatches: number;
  seconds: number;
}

/**
 * Simulates the catch probability on the f × k grid at n samples: per trial, a seed
 * keccak256(abi.encode(uint256 benchSeed, uint256 trial)), the indices drawn from it, and a lie
 * set chosen at random (mulberry32 from `benchSeed`) independently of the seed, nested in m (the
 * first m of a random permutation), so every cell of a trial shares its draw and its lies.
 */
export function simulateCatch(n: number, trials: number, benchSeed: number): CatchSimulation {
  const started = performance.now();
  const random = seededRandom(benchSeed);
  const maxK = Math.max(...OPEN_SLOT_CHOICES);
  const liesByFraction = LIE_FRACTIONS.map((f) => liesFor(f, n));
  const caught = OPEN_SLOT_CHOICES.map(() => liesByFraction.map(() => 0));
  const permutation = Array.from({ length: n }, (_, i) => i);
  const rank = new Int32Array(n);
  const seedInput = new Uint8Array(64);
  const seedView = new DataView(seedInput.buffer);
  seedView.setUint32(28, benchSeed >>> 0);
  let sdkMismatches = 0;
  for (let trial = 0; trial < trials; trial++) {
    seedView.setUint32(60, trial);
    const seed = keccak256(seedInput, "bytes");
    const drawn = drawIndices(seed, n, maxK);
    const sdk = challengeIndices(bytesToHex(seed), n);
    if (sdk.some((index, slot) => drawn[slot] !== index)) sdkMismatches++;
    // A uniformly random order of the samples: sample i is a lie when rank[i] < m.
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [permutation[i], permutation[j]] = [permutation[j]!, permutation[i]!];
    }
    permutation.forEach((sample, position) => (rank[sample] = position));
    OPEN_SLOT_CHOICES.forEach((k, ki) => {
      const opened = k === OPEN_SLOTS ? sdk : drawn.slice(0, Math.min(k, n));
      const firstLie = Math.min(...opened.map((index) => rank[index]!));
      liesByFraction.forEach((m, fi) => {
        if (firstLie < m) caught[ki]![fi]!++;
      });
    });
  }
  const cells: CatchCell[] = [];
  LIE_FRACTIONS.forEach((f, fi) => {
    OPEN_SLOT_CHOICES.forEach((k, ki) => {
      const m = liesByFraction[fi]!;
      const analytic = catchProbability(n, m, k);
      const simulated = caught[ki]![fi]! / trials;
      const standardError = Math.sqrt((analytic * (1 - analytic)) / trials);
      cells.push({
        fraction: f.label,
        lies: m,
        openSlots: k,
        analytic,
        approx: catchProbabilityApprox(n, m, k),
        caught: caught[ki]![fi]!,
        trials,
        simulated,
        standardError,
        ...(standardError > 0 ? { z: (simulated - analytic) / standardError } : {}),
        sdkDraw: k === OPEN_SLOTS,
      });
    });
  });
  return { sampleCount: n, trials, seed: benchSeed, cells, sdkMismatches, seconds: (performance.now() - started) / 1000 };
}

export interface GainCell {
  fraction: string;
  lies: number;
  openSlots: number;
  shortfallBps: number;
  refundWei: string;
  contested: boolean;
  catchProbability: number;
  gainWei: string;
  gainEth: number;
}

export interface WorstCase {
  openSlots: number;
  sampleCount: number;
  lies: number;
  gainWei: string;
  gainEth: number;
  catchProbability: number;
}

export interface GainTables {
  sampleCount: number;
  cells: GainCell[];
  worstCases: WorstCase[];
  /** Every f at k = 16 (n = sampleCount) and the worst case over [minSamples, maxSamples] at k = 16 lose money. */
  pass: boolean;
  seconds: number;
}

const toEth = (wei: bigint): number => Number(wei) / 1e18;

/** The gain grid at n samples and the worst case over the terms' [minSamples, maxSamples] per k. */
export function gainTables(terms: DisputeEconomicsTerms, n: number): GainTables {
  const started = performance.now();
  const cells: GainCell[] = [];
  for (const f of LIE_FRACTIONS) {
    for (const k of OPEN_SLOT_CHOICES) {
      const d = dishonestDispute(terms, n, liesFor(f, n), k);
      cells.push({
        fraction: f.label,
        lies: d.lies,
        openSlots: k,
        shortfallBps: d.shortfallBps,
        refundWei: d.refund.toString(),
        contested: d.contested,
        catchProbability: d.catchProbability,
        gainWei: d.gain.toString(),
        gainEth: toEth(d.gain),
      });
    }
  }
  const worstCases = OPEN_SLOT_CHOICES.map((k) => {
    const w = worstCaseGain(terms, k);
    return { openSlots: k, sampleCount: w.sampleCount, lies: w.lies, gainWei: w.gain.toString(), gainEth: toEth(w.gain), catchProbability: w.catchProbability };
  });
  const at16 = cells.filter((c) => c.openSlots === OPEN_SLOTS).every((c) => BigInt(c.gainWei) < 0n);
  const worst16 = worstCases.find((w) => w.openSlots === OPEN_SLOTS)!;
  return { sampleCount: n, cells, worstCases, pass: at16 && BigInt(worst16.gainWei) < 0n, seconds: (performance.now() - started) / 1000 };
}
