/**
 * The economics of a dishonest dispute (disputeEconomics.ts, docs/DISPUTES.md §4.1–§4.2): every
 * cell of §4.2's table, the worst cases the doc quotes, the exact catch probability against a
 * from-scratch rational computation and against the SDK's own challenge indices drawn from fixed
 * seeds, properties over seeded random terms (P in [0, 1], monotone in m and k; G falls as the
 * buyer's bond grows), the pruned worst-case search against brute force, and the bounds each
 * function refuses with a sentence.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatEther, keccak256, parseEther, toHex } from "viem";
import { OPEN_SLOTS, challengeIndices, openedCount } from "@modelbazaar/sdk/testDrives";
import {
  catchOdds,
  catchProbability,
  catchProbabilityApprox,
  dishonestDispute,
  dishonestGain,
  effectiveOpenCount,
  lieShortfallBps,
  minimumBuyerBond,
  sellerContests,
  worstCaseGain,
  type DishonestDispute,
  type DisputeEconomicsTerms,
} from "@modelbazaar/sdk/disputes";
import { EXAMPLE_POLICY } from "../../scripts/lib/exampleListing.ts";

/** §4.2's terms: the example listing with w = 1,000 bps, B_b = 0.5 ETH, B_s = 0.02 ETH. */
const TERMS: DisputeEconomicsTerms = {
  deposit: EXAMPLE_POLICY.deposit,
  feePerExtraSample: EXAMPLE_POLICY.feePerExtraSample,
  freeSamples: EXAMPLE_POLICY.freeSamples,
  minSamples: EXAMPLE_POLICY.minSamples,
  maxSamples: EXAMPLE_POLICY.maxSamples,
  refundSlopeBps: 1_000,
  buyerBond: parseEther("0.5"),
  sellerBond: parseEther("0.02"),
};

/** ETH with 3 decimals, as the doc prints it ("+0.248", "−0.039"); `gain` is floored wei, so round it half away from zero like the doc's script. */
const eth3 = (wei: bigint): string => {
  const value = Number(formatEther(wei));
  const text = Math.abs(value).toFixed(3);
  return value > 0 ? `+${text}` : text === "0.000" ? "0.000" : `−${text}`;
};

/** §4.2's table, transcribed: m of 200 → per k ∈ {4, 8, 16, 32}: [P exact, P approx or null where not printed, G]. */
const DOC_TABLE: Record<number, [string, string | null, string][]> = {
  1: [["0.020", "0.020", "−0.039"], ["0.040", "0.039", "−0.049"], ["0.080", "0.077", "−0.068"], ["0.160", "0.148", "−0.105"]],
  2: [["0.040", "0.039", "−0.001"], ["0.079", "0.077", "−0.021"], ["0.154", "0.149", "−0.060"], ["0.295", "0.275", "−0.133"]],
  10: [["0.187", "0.185", "+0.248"], ["0.342", "0.337", "+0.106"], ["0.574", "0.560", "−0.108"], ["0.833", "0.806", "−0.346"]],
  20: [["0.346", "0.344", "+0.429"], ["0.576", "0.570", "+0.102"], ["0.827", "0.815", "−0.255"], ["0.975", "0.966", "−0.464"]],
  50: [["0.687", "0.684", "−0.055"], ["0.905", "0.900", "−0.365"], ["0.992", "0.990", "−0.488"], ["1.000", "1.000", "−0.500"]],
  100: [["0.939", "0.938", "−0.414"], ["0.997", "0.996", "−0.495"], ["1.000", null, "−0.500"], ["1.000", null, "−0.500"]],
  200: [["1.000", null, "−0.500"], ["1.000", null, "−0.500"], ["1.000", null, "−0.500"], ["1.000", null, "−0.500"]],
};
const DOC_KS = [4, 8, 16, 32];

/** A seeded 32-bit PRNG (mulberry32), so the property checks are deterministic. */
function prng(seed: number): (below: number) => number {
  let a = seed >>> 0;
  return (below) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * below);
  };
}

/** C(a, k) from scratch: a!/(k!(a − k)!) with factorials, 0 when a < k. */
function referenceBinomial(a: number, k: number): bigint {
  if (a < k) return 0n;
  const factorial = (x: number): bigint => {
    let f = 1n;
    for (let i = 2n; i <= BigInt(x); i++) f *= i;
    return f;
  };
  return factorial(a) / (factorial(k) * factorial(a - k));
}

/** G from scratch, as §4.2 writes it, with P = 1 − C(n−m, k)/C(n, k) as an exact rational; floored to a wei. */
function referenceGain(terms: DisputeEconomicsTerms, n: number, m: number, k: number): bigint {
  const kEff = Math.min(k, n);
  const s = Math.ceil((10_000 * m) / n);
  const refund = (terms.deposit * BigInt(Math.min(s, terms.refundSlopeBps))) / BigInt(terms.refundSlopeBps);
  const uncapped = BigInt(Math.min(n, terms.freeSamples)) * terms.feePerExtraSample;
  const fee = uncapped < terms.deposit ? uncapped : terms.deposit; // RefundDisputes caps F at D
  if (2n * refund < fee) return refund - fee;
  const total = referenceBinomial(n, kEff);
  const escaped = referenceBinomial(n - m, kEff);
  const numerator = escaped * (refund + terms.sellerBond - fee) - (total - escaped) * terms.buyerBond;
  const q = numerator / total;
  return numerator % total < 0n ? q - 1n : q;
}

/** The worst case by brute force: every n and every m, first maximum in (n, m) order. */
function bruteForceWorstCase(terms: DisputeEconomicsTerms, k: number): DishonestDispute {
  let best: DishonestDispute | undefined;
  for (let n = terms.minSamples; n <= terms.maxSamples; n++) {
    for (let m = 1; m <= n; m++) {
      const cell = dishonestDispute(terms, n, m, k);
      if (best === undefined || cell.gain > best.gain) best = cell;
    }
  }
  assert.ok(best);
  return best;
}

/** Random small terms that reach every branch: w from 1 (all-or-nothing) to 10,000, fees from 0 to above the deposit plus the bonds. */
function randomTerms(rand: (below: number) => number): DisputeEconomicsTerms {
  const minSamples = 1 + rand(30);
  const slopes = [1, 2, 50, 333, 1_000, 2_500, 10_000];
  return {
    deposit: BigInt(1 + rand(1_000_000)),
    feePerExtraSample: BigInt(rand(4) === 0 ? 0 : rand(200_000)),
    freeSamples: rand(60),
    refundSlopeBps: slopes[rand(slopes.length)] ?? 1_000,
    buyerBond: BigInt(rand(2_000_000)),
    sellerBond: BigInt(rand(100_000)),
    minSamples,
    maxSamples: minSamples + rand(40),
  };
}

/** P as a number from exact counts, to ~1e-30 absolute. */
const ratio = (a: bigint, b: bigint): number => Number((a * 10n ** 30n) / b) / 1e30;

describe("dispute economics (DISPUTES.md §4.2)", () => {
  it("reproduces every cell of §4.2's table (n = 200, k ∈ {4, 8, 16, 32}) to the printed precision", () => {
    for (const [lies, row] of Object.entries(DOC_TABLE)) {
      const m = Number(lies);
      row.forEach(([p, approx, gain], column) => {
        const k = DOC_KS[column] ?? 0;
        const cell = dishonestDispute(TERMS, 200, m, k);
        const where = `m = ${m}, k = ${k}`;
        assert.equal(cell.catchProbability.toFixed(3), p, `P at ${where}`);
        if (approx !== null) assert.equal(catchProbabilityApprox(200, m, k).toFixed(3), approx, `approximate P at ${where}`);
        assert.equal(eth3(cell.gain), gain, `G at ${where}`);
        assert.equal(cell.freeSamplesFee, parseEther("0.1"));
        // n = 200 divides 10,000·m: the lies prove exactly f = m/n, the doc's R = D·min(1, f/w).
        assert.equal(cell.shortfallBps, 50 * m);
        assert.equal(cell.refund, (parseEther("1") * BigInt(Math.min(50 * m, 1_000))) / 1_000n);
      });
    }
  });

  it("gives the table's gains exactly where they are whole: m = 1, k = 4 is 0.98·(−0.03) − 0.02·0.5", () => {
    assert.equal(dishonestGain(TERMS, 200, 1, 4), parseEther("-0.0394"));
    assert.equal(dishonestGain(TERMS, 200, 200, 16), parseEther("-0.5"));
    assert.equal(dishonestGain(TERMS, 200, 1, 16), referenceGain(TERMS, 200, 1, 16));
  });

  it("finds the k = 16 worst case over n ∈ [10, 1,000]: −0.040 ETH (exactly −0.04 at n = 62, m = 1; the doc's real-valued f puts it at n = 60)", () => {
    const worst = worstCaseGain(TERMS, 16);
    assert.equal(eth3(worst.gain), "−0.040");
    assert.deepEqual(
      { n: worst.sampleCount, m: worst.lies, s: worst.shortfallBps, gain: worst.gain, contested: worst.contested },
      // s = ceil(10,000/62) = 162 bps, R = 0.162, F_free = 0.062, P = 16/62: G = (46·0.12 − 16·0.5)/62 = −0.04.
      { n: 62, m: 1, s: 162, gain: parseEther("-0.04"), contested: true },
    );
    assert.equal(worst.gain, bruteForceWorstCase({ ...TERMS, maxSamples: 120 }, 16).gain);
    // The doc's formula with a real-valued f = m/n (no rounding of the shortfall) peaks at n = 60, m = 1, −0.0404.
    let best = { gain: -Infinity, n: 0, m: 0 };
    for (let n = 10; n <= 1_000; n++) {
      const fee = Math.min(n, 100) * 0.001;
      for (let m = 1; m <= n; m++) {
        const refund = Math.min(1, (10_000 * m) / n / 1_000);
        const p = catchProbability(n, m, 16);
        const gain = refund < fee / 2 ? refund - fee : (1 - p) * (refund + 0.02 - fee) - p * 0.5;
        if (gain > best.gain) best = { gain, n, m };
      }
    }
    assert.deepEqual({ n: best.n, m: best.m, gain: best.gain.toFixed(4) }, { n: 60, m: 1, gain: "-0.0404" });
  });

  it("needs a buyer bond of D for k = 8 (max −0.015 ETH at n = 42, m = 1; the doc prints −0.016) and none ≤ D suffices for k = 4", () => {
    const eight = worstCaseGain({ ...TERMS, buyerBond: TERMS.deposit }, 8);
    assert.ok(eight.gain < 0n);
    assert.deepEqual([eth3(eight.gain), eight.sampleCount, eight.lies], ["−0.015", 42, 1]);
    assert.ok(worstCaseGain(TERMS, 8).gain > 0n, "B_b = 0.5 ETH is not enough for k = 8");
    for (const bond of ["0", "0.02", "0.5", "0.9", "1"]) {
      assert.ok(worstCaseGain({ ...TERMS, buyerBond: parseEther(bond) }, 4).gain > 0n, `k = 4, B_b = ${bond} ETH`);
    }
    // The break-even bonds behind those sentences.
    assert.equal(minimumBuyerBond(TERMS, 16), parseEther("0.363125") + 1n);
    assert.equal(minimumBuyerBond(TERMS, 8), parseEther("0.9225") + 1n);
    assert.equal(minimumBuyerBond(TERMS, 4), parseEther("2.10975") + 1n);
  });

  it("gains +0.81 ETH at f = 1/n with the all-or-nothing refund (w = 1) and the same bonds; breaking even needs B_b = 10.58 ETH at n = 200", () => {
    const allOrNothing = { ...TERMS, refundSlopeBps: 1 };
    assert.equal(dishonestGain(allOrNothing, 200, 1, 16), parseEther("0.8064"));
    const at200 = { ...allOrNothing, minSamples: 200, maxSamples: 200 };
    assert.equal(minimumBuyerBond(at200, 16), parseEther("10.58") + 1n);
    assert.equal(worstCaseGain({ ...at200, buyerBond: parseEther("10.58") }, 16).gain, 0n);
    assert.equal(worstCaseGain({ ...at200, buyerBond: parseEther("10.58") + 1n }, 16).gain, -1n);
  });

  it("searches maxSamples = 1,024 fast enough for the CLI, even with w = 10,000 (no pruning past m_sat)", () => {
    const start = performance.now();
    worstCaseGain({ ...TERMS, maxSamples: 1_024 }, OPEN_SLOTS);
    worstCaseGain({ ...TERMS, refundSlopeBps: 10_000, maxSamples: 1_024 }, OPEN_SLOTS);
    const elapsed = performance.now() - start;
    assert.ok(elapsed < 10_000, `took ${elapsed.toFixed(0)} ms`);
  });
});

describe("dispute economics: the pruned searches equal brute force", () => {
  it("worstCaseGain equals the brute-force maximum and its first (n, m) on 150 random small listings", () => {
    const rand = prng(12);
    for (let trial = 0; trial < 150; trial++) {
      const terms = randomTerms(rand);
      const k = 1 + rand(20);
      assert.deepEqual(worstCaseGain(terms, k), bruteForceWorstCase(terms, k), `trial ${trial}: ${JSON.stringify(terms, (_, v) => (typeof v === "bigint" ? `${v}` : v))}, k = ${k}`);
    }
  });

  it("caps the free samples' fee a claim stakes at the deposit, as RefundDisputes does, and still finds the worst case and the smallest bond", () => {
    const terms: DisputeEconomicsTerms = { deposit: 100n, feePerExtraSample: 10n, freeSamples: 100, refundSlopeBps: 1_000, buyerBond: 5n, sellerBond: 1n, minSamples: 15, maxSamples: 20 };
    // n = 15..20: min(n, freeSamples)·fee = 150..200 is above D, so F_free = D = 100.
    for (let n = 15; n <= 20; n++) assert.equal(dishonestDispute(terms, n, 1, 4).freeSamplesFee, 100n);
    assert.deepEqual(worstCaseGain(terms, 4), bruteForceWorstCase(terms, 4));
    const bond = minimumBuyerBond(terms, 4);
    assert.ok(worstCaseGain({ ...terms, buyerBond: bond }, 4).gain < 0n, "the smallest bond makes every lie lose");
    assert.ok(worstCaseGain({ ...terms, buyerBond: bond - 1n }, 4).gain >= 0n, "one wei less does not");
  });

  it("minimumBuyerBond is the smallest bond at which worstCaseGain < 0, on 80 random small listings", () => {
    const rand = prng(34);
    for (let trial = 0; trial < 80; trial++) {
      const terms = randomTerms(rand);
      const k = 1 + rand(20);
      const bond = minimumBuyerBond(terms, k);
      assert.ok(worstCaseGain({ ...terms, buyerBond: bond }, k).gain < 0n, `trial ${trial}: ${bond} loses`);
      if (bond > 0n) assert.ok(worstCaseGain({ ...terms, buyerBond: bond - 1n }, k).gain >= 0n, `trial ${trial}: ${bond - 1n} does not`);
    }
  });
});

describe("dispute economics: properties (seeded loops)", () => {
  it("P is exact: equal to the from-scratch C(n−m, k)/C(n, k) to 1e-13 relative, including n = 65,535", () => {
    const rand = prng(56);
    const cells: [number, number, number][] = [
      [65_535, 1, 16],
      [65_535, 2, 16],
      [65_535, 65_519, 16],
      [65_535, 1, 1],
      [1_000, 1, 500],
      [2_000, 3, 1_000],
    ];
    for (let i = 0; i < 200; i++) {
      const n = 1 + rand(i < 100 ? 300 : 65_535);
      cells.push([n, rand(n + 1), 1 + rand(i < 100 ? n + 5 : 40)]);
    }
    for (const [n, m, k] of cells) {
      const kEff = Math.min(k, n);
      const { caught, total } = catchOdds(n, m, k);
      if (n <= 300) {
        assert.equal(total, referenceBinomial(n, kEff));
        assert.equal(total - caught, referenceBinomial(n - m, kEff));
      }
      const exact = ratio(caught, total);
      const p = catchProbability(n, m, k);
      assert.ok(Math.abs(p - exact) <= 1e-13 * exact + 1e-30, `n = ${n}, m = ${m}, k = ${k}: ${p} vs ${exact}`);
    }
    assert.ok(Math.abs(catchProbability(65_535, 1, 16) / (16 / 65_535) - 1) < 1e-14);
  });

  it("P is in [0, 1], 0 without lies, 1 once fewer than k_eff samples are honest, increases with m and with k, and is above its approximation", () => {
    const rand = prng(78);
    for (let trial = 0; trial < 60; trial++) {
      const n = 1 + rand(trial < 40 ? 80 : 3_000);
      const k = 1 + rand(40);
      const kEff = effectiveOpenCount(n, k);
      let previous = -1;
      for (let m = 0; m <= n; m += trial < 40 ? 1 : 1 + rand(50)) {
        const p = catchProbability(n, m, k);
        assert.ok(p >= 0 && p <= 1, `P(${n}, ${m}, ${k}) = ${p}`);
        if (m === 0) assert.equal(p, 0);
        if (m > n - kEff) assert.equal(p, 1);
        else if (p < 1 - 1e-12) assert.ok(p > previous, `P increases with m at n = ${n}, m = ${m}, k = ${k}`);
        else assert.ok(p >= previous, `P does not fall with m at n = ${n}, m = ${m}, k = ${k}`);
        assert.ok(p >= catchProbability(n, m, Math.max(1, k - 1)), `P increases with k at n = ${n}, m = ${m}, k = ${k}`);
        assert.ok(catchProbabilityApprox(n, m, k) <= p + 1e-15, `approximation below at n = ${n}, m = ${m}, k = ${k}`);
        previous = p;
      }
    }
  });

  it("G equals the from-scratch rational formula, falls as B_b grows and rises with B_s; an uncontested claim loses over F_free/2", () => {
    const rand = prng(90);
    for (let trial = 0; trial < 400; trial++) {
      const terms = randomTerms(rand);
      const n = 1 + rand(120);
      const m = 1 + rand(n);
      const k = 1 + rand(24);
      const cell = dishonestDispute(terms, n, m, k);
      assert.equal(cell.gain, referenceGain(terms, n, m, k), `trial ${trial}`);
      assert.equal(cell.contested, sellerContests(cell.refund, cell.freeSamplesFee));
      if (!cell.contested) assert.ok(2n * cell.gain < -cell.freeSamplesFee, `trial ${trial}: uncontested G = ${cell.gain}`);
      const raise = 1 + rand(1_000_000);
      const richer = dishonestGain({ ...terms, buyerBond: terms.buyerBond + BigInt(raise) }, n, m, k);
      // Contested, G·C(n, k) falls by caught·raise; the floored G falls for sure once P·raise >= 1 wei.
      if (!cell.contested) assert.equal(richer, cell.gain, `trial ${trial}: an uncontested G does not depend on B_b`);
      else if (cell.catchProbability * raise >= 1.000001) assert.ok(richer < cell.gain, `trial ${trial}: G falls with B_b`);
      else assert.ok(richer <= cell.gain, `trial ${trial}: G does not rise with B_b`);
      assert.ok(dishonestGain({ ...terms, sellerBond: terms.sellerBond + 1_000n }, n, m, k) >= cell.gain, `trial ${trial}: G rises with B_s`);
    }
    // On the doc's terms, every cell of the n = 200 table falls as B_b goes 0 → 0.5 → 1 ETH.
    for (const m of [1, 2, 10, 20, 50, 100, 200]) {
      const gains = ["0", "0.5", "1"].map((bond) => dishonestGain({ ...TERMS, buyerBond: parseEther(bond) }, 200, m, 16));
      assert.ok(gains[0]! > gains[1]! && gains[1]! > gains[2]!, `m = ${m}: ${gains}`);
    }
  });

  it("the shortfall of m lies is ceil(10,000·m/n): what they prove against a model at claim − 1 bps, the edge of any refund", () => {
    assert.equal(lieShortfallBps(200, 1), 50);
    assert.equal(lieShortfallBps(60, 1), 167);
    assert.equal(lieShortfallBps(3, 1), 3_334);
    assert.equal(lieShortfallBps(65_535, 65_535), 10_000);
    // The refund circuit proves s iff 10,000·correct < (claim − s)·n: with claim = 9,001 and 54 of 60 right, nothing is provable; one lie proves 167.
    const provable = (correct: number, n: number, claim: number): number => claim - Math.floor((10_000 * correct) / n) - 1;
    assert.equal(provable(54, 60, 9_001), 0);
    assert.equal(provable(53, 60, 9_001), lieShortfallBps(60, 1));
  });
});

describe("dispute economics: P against the SDK's challenge indices", () => {
  it("the rate at which challengeIndices from 2,000 fixed seeds opens one of m lies matches P within 4.5 standard deviations", () => {
    const trials = 2_000;
    for (const n of [17, 62, 200]) {
      // Lies on samples 0..m−1 (any fixed set is equivalent): the draw catches m lies iff its smallest index is < m.
      const smallest = Array.from({ length: trials }, (_, t) => Math.min(...challengeIndices(keccak256(toHex(n * 1_000_000 + t, { size: 32 })), n)));
      for (const m of [1, 2, Math.ceil(n / 20), Math.ceil(n / 10), Math.ceil(n / 4)]) {
        const p = catchProbability(n, m, openedCount(n));
        const rate = smallest.filter((index) => index < m).length / trials;
        const sigma = Math.sqrt((p * (1 - p)) / trials);
        assert.ok(Math.abs(rate - p) <= 4.5 * sigma + 1 / trials, `n = ${n}, m = ${m}: simulated ${rate} vs exact ${p.toFixed(4)} (σ ${sigma.toFixed(4)})`);
      }
    }
  });
});

describe("dispute economics: refusals", () => {
  it("refuses out-of-range counts and terms with a sentence naming them", () => {
    assert.throws(() => catchProbability(0, 0, 16), /sampleCount must be an integer in \[1, 65536\), got 0/);
    assert.throws(() => catchProbability(65_536, 1, 16), /sampleCount/);
    assert.throws(() => catchProbability(10, 11, 16), /lies must be an integer in \[0, 11\), got 11/);
    assert.throws(() => catchProbability(10, 1, 0), /openSlots must be an integer/);
    assert.throws(() => dishonestGain(TERMS, 200, 0, 16), /lies must be an integer in \[1, 201\), got 0/);
    assert.throws(() => dishonestGain({ ...TERMS, refundSlopeBps: 0 }, 200, 1, 16), /refundSlopeBps/);
    assert.throws(() => dishonestGain({ ...TERMS, buyerBond: -1n }, 200, 1, 16), /buyerBond must be a uint256 amount of wei, got -1/);
    assert.throws(() => worstCaseGain({ ...TERMS, minSamples: 20, maxSamples: 10 }, 16), /maxSamples must be an integer in \[20, 65536\), got 10/);
    assert.throws(() => minimumBuyerBond({ ...TERMS, freeSamples: 1.5 }, 16), /freeSamples/);
  });
});
