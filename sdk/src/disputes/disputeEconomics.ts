/**
 * The economics of a dishonest dispute under a listing's terms (docs/DISPUTES.md §4.1–§4.2): what
 * a buyer earns, relative to walking away, by lying on m of its n predictions to claim a graded
 * refund from a model that meets its claim.
 *
 *   s      = ceil(10,000·m / n)                       the shortfall (bps) the lies prove
 *   R      = gradedRefund(D, s, w) = floor(D·min(s, w)/w)          (gradedRefund.ts)
 *   F_free = min(min(n, freeSamples)·feePerExtraSample, D)       (refundShares.ts toSeller)
 *   P      = 1 − C(n − m, k_eff)/C(n, k_eff),  k_eff = min(k, n)   (a lie among the opened samples)
 *   the seller contests every claim with R ≥ F_free/2 (the worker's policy, §4.2), and then
 *   G      = R − F_free                                 when not contested,
 *   G      = (1 − P)·(R + B_s − F_free) − P·B_b         when contested.
 *
 * Amounts are bigint wei. G is computed exactly (P is the rational C(n−m, k_eff)/C(n, k_eff), R
 * rounds down as the contract does) and rounded down to a whole wei, so `gain < 0n` exactly when
 * the dispute loses money; probabilities are returned as numbers for display.
 *
 * Why s = ceil(10,000·m/n) and not the doc's real-valued f = m/n: the refund circuit proves
 * 10,000·correct < (claim − s)·n, so a model proves no honest shortfall as long as its accuracy
 * is at least claim − 1 bps. The worst case for the seller is a model exactly there; m lies then
 * prove s = ceil(10,000·m/n) (and no more, whatever the model's position). Where n divides
 * 10,000·m (every row of §4.2's n = 200 table) this is the doc's f = m/n exactly. The claim
 * itself is not one of the terms: s is not capped at the claim, which only matters for listings
 * with w above the claim (a full refund then needs a shortfall no buyer can prove).
 */
import { gradedRefund, BPS_DENOMINATOR } from "../testDrives/gradedRefund.ts";
import { refundShares, type RefundPolicy } from "../testDrives/refundShares.ts";
import { OPEN_SLOTS } from "../testDrives/challengeIndices.ts";
import { requireIntegerIn } from "../testDrives/fieldElement.ts";

/** ModelRegistry.MAX_SAMPLES: the largest test set a listing may accept. */
const MAX_TEST_SAMPLES = 65_535;

/**
 * The listing terms a dispute's economics depend on (wei, sample counts and bps): the test
 * policy's deposit, fees and sample bounds, and the dispute policy's w and bonds (named as the
 * registry's terms v2 of build-plan step 8 name them). Not the registry's `DisputeTerms` struct
 * (deadlines and circuit shape), hence the name.
 */
export interface DisputeEconomicsTerms extends RefundPolicy {
  /** w: the shortfall (bps) that refunds the whole deposit (1 = all-or-nothing). */
  refundSlopeBps: number;
  /** B_b: what a buyer posts with a claim, burned when the seller wins a contest. */
  buyerBond: bigint;
  /** B_s: what a seller posts with a contest, paid to the buyer when the seller does not prove a lie. */
  sellerBond: bigint;
  /** The smallest test set the listing accepts. */
  minSamples: number;
  /** The largest test set the listing accepts. */
  maxSamples: number;
}

/** One dishonest dispute, worked out: a buyer lying on `lies` of `sampleCount` predictions. */
export interface DishonestDispute {
  /** n */
  sampleCount: number;
  /** m */
  lies: number;
  /** k_eff = min(k, n): how many samples a contest opens. */
  openedCount: number;
  /** s = ceil(10,000·m/n), the shortfall the lies prove. */
  shortfallBps: number;
  /** R, the graded refund of s. */
  refund: bigint;
  /** F_free = min(min(n, freeSamples)·feePerExtraSample, D), staked by every claim and paid to the seller by a refund. */
  freeSamplesFee: bigint;
  /** Whether the seller's policy (R ≥ F_free/2) contests the claim. */
  contested: boolean;
  /** P, the probability that a contest opens at least one lie (whether or not contested). */
  catchProbability: number;
  /** G in wei, rounded down: the buyer's expected gain relative to walking away (gas excluded). */
  gain: bigint;
}

/** The exact catch probability as counts of opened sets: `caught` of the `total` = C(n, k_eff) equally likely k_eff-subsets hold a lie. */
export interface CatchOdds {
  caught: bigint;
  total: bigint;
}

const requireSampleCount = (n: number): void => requireIntegerIn("sampleCount", n, 1, MAX_TEST_SAMPLES + 1);
const requireLies = (n: number, m: number): void => requireIntegerIn("lies", m, 0, n + 1);
const requireOpenSlots = (k: number): void => requireIntegerIn("openSlots", k, 1, MAX_TEST_SAMPLES + 1);

function requireWei(name: string, value: bigint): void {
  if (typeof value !== "bigint" || value < 0n || value >= 1n << 256n) {
    throw new RangeError(`${name} must be a uint256 amount of wei, got ${String(value)}`);
  }
}

/** Throws a RangeError naming the first term that is not a valid amount, count or slope. */
export function requireDisputeEconomicsTerms(terms: DisputeEconomicsTerms): void {
  requireWei("deposit", terms.deposit);
  requireWei("feePerExtraSample", terms.feePerExtraSample);
  requireWei("buyerBond", terms.buyerBond);
  requireWei("sellerBond", terms.sellerBond);
  requireIntegerIn("freeSamples", terms.freeSamples, 0, MAX_TEST_SAMPLES + 1);
  requireIntegerIn("refundSlopeBps", terms.refundSlopeBps, 1, BPS_DENOMINATOR + 1);
  requireIntegerIn("minSamples", terms.minSamples, 1, MAX_TEST_SAMPLES + 1);
  requireIntegerIn("maxSamples", terms.maxSamples, terms.minSamples, MAX_TEST_SAMPLES + 1);
}

/** C(a, k) for 0 <= k (0 when a < k), exactly. */
function binomial(a: number, k: number): bigint {
  if (a < k) return 0n;
  let c = 1n;
  for (let i = 1; i <= k; i++) c = (c * BigInt(a - k + i)) / BigInt(i);
  return c;
}

/** floor(a / b) for b > 0 (bigint `/` truncates toward zero). */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b < 0n ? q - 1n : q;
}

/** k_eff = min(k, n): the contract opens k distinct samples, or all of them when n <= k. */
export function effectiveOpenCount(sampleCount: number, openSlots: number): number {
  requireSampleCount(sampleCount);
  requireOpenSlots(openSlots);
  return Math.min(openSlots, sampleCount);
}

/** The exact odds that opening k_eff = min(k, n) distinct samples of n finds one of m lies. */
export function catchOdds(sampleCount: number, lies: number, openSlots: number = OPEN_SLOTS): CatchOdds {
  const k = effectiveOpenCount(sampleCount, openSlots);
  requireLies(sampleCount, lies);
  const total = binomial(sampleCount, k);
  return { caught: total - binomial(sampleCount - lies, k), total };
}

/**
 * P(caught) = 1 − C(n − m, k_eff)/C(n, k_eff), k_eff = min(k, n), in log space:
 * C(n−m, k)/C(n, k) = Π_{i<k} (1 − m/(n − i)), so P = −expm1(Σ log1p(−m/(n − i))): no
 * cancellation when P is tiny (16/65,535 at n = 65,535, m = 1) and no overflow for any n <=
 * 65,535; relative error about k·2^−53 (the tests hold it to 1e-13 against catchOdds).
 */
export function catchProbability(sampleCount: number, lies: number, openSlots: number = OPEN_SLOTS): number {
  const k = effectiveOpenCount(sampleCount, openSlots);
  requireLies(sampleCount, lies);
  if (lies === 0) return 0;
  if (lies > sampleCount - k) return 1; // fewer than k_eff honest samples: every opened set holds a lie
  let logEscape = 0;
  for (let i = 0; i < k; i++) logEscape += Math.log1p(-lies / (sampleCount - i));
  return -Math.expm1(logEscape);
}

/** The doc's approximation 1 − (1 − m/n)^k_eff (drawing with replacement); below the exact value. */
export function catchProbabilityApprox(sampleCount: number, lies: number, openSlots: number = OPEN_SLOTS): number {
  const k = effectiveOpenCount(sampleCount, openSlots);
  requireLies(sampleCount, lies);
  return -Math.expm1(k * Math.log1p(-lies / sampleCount));
}

/** s = ceil(10,000·m/n): the shortfall m lies prove against a model at the edge of its claim (see the header). */
export function lieShortfallBps(sampleCount: number, lies: number): number {
  requireSampleCount(sampleCount);
  requireLies(sampleCount, lies);
  return Math.ceil((BPS_DENOMINATOR * lies) / sampleCount); // exact: 10,000·65,535 < 2^53
}

/** The seller worker's contest policy (§4.2): contest every claim whose refund R ≥ F_free/2. */
export function sellerContests(refund: bigint, freeSamplesFee: bigint): boolean {
  return 2n * refund >= freeSamplesFee;
}

/** G for one cell, exactly, rounded down to a wei; `escaped` of `total` opened sets miss every lie. */
function gainOf(terms: DisputeEconomicsTerms, refund: bigint, freeSamplesFee: bigint, escaped: bigint, total: bigint): bigint {
  if (!sellerContests(refund, freeSamplesFee)) return refund - freeSamplesFee;
  const won = refund + terms.sellerBond - freeSamplesFee;
  return floorDiv(escaped * won - (total - escaped) * terms.buyerBond, total);
}

function disputeOf(terms: DisputeEconomicsTerms, n: number, m: number, k: number, escaped: bigint, total: bigint): DishonestDispute {
  const shortfallBps = lieShortfallBps(n, m);
  const refund = gradedRefund(terms.deposit, shortfallBps, terms.refundSlopeBps);
  const { toSeller: freeSamplesFee } = refundShares(terms, n); // F, capped at the deposit as RefundDisputes stakes it
  return {
    sampleCount: n,
    lies: m,
    openedCount: k,
    shortfallBps,
    refund,
    freeSamplesFee,
    contested: sellerContests(refund, freeSamplesFee),
    catchProbability: catchProbability(n, m, k),
    gain: gainOf(terms, refund, freeSamplesFee, escaped, total),
  };
}

/**
 * A buyer lying on m >= 1 of n predictions (n in [minSamples, maxSamples] is not required: any
 * n in [1, 65,535]), worked out under `terms` with k open slots (the market's OPEN_SLOTS = 16 by
 * default): its shortfall, refund, whether it is contested, P and the expected gain G.
 */
export function dishonestDispute(terms: DisputeEconomicsTerms, sampleCount: number, lies: number, openSlots: number = OPEN_SLOTS): DishonestDispute {
  requireDisputeEconomicsTerms(terms);
  requireSampleCount(sampleCount);
  requireIntegerIn("lies", lies, 1, sampleCount + 1);
  const { caught, total } = catchOdds(sampleCount, lies, openSlots);
  return disputeOf(terms, sampleCount, lies, effectiveOpenCount(sampleCount, openSlots), total - caught, total);
}

/** G in wei, rounded down (negative exactly when the lie loses money): see dishonestDispute. */
export function dishonestGain(terms: DisputeEconomicsTerms, sampleCount: number, lies: number, openSlots: number = OPEN_SLOTS): bigint {
  return dishonestDispute(terms, sampleCount, lies, openSlots).gain;
}

/** One cell of a row (fixed n) that a search must look at: m lies, C(n − m, k_eff) of the C(n, k_eff) opened sets escape them. */
interface RowCell {
  lies: number;
  refund: bigint;
  escaped: bigint;
}

/**
 * The cells of row n that hold its first maximum of G, for any buyer bond, in increasing m:
 * every m up to m_sat (the first m whose shortfall s >= w), then m = n − k_eff + 1 when it lies
 * beyond m_sat.
 *
 * Why that suffices: from m_sat on the refund is D for every m, so R, F_free and the contest
 * decision are constant, and G is either the constant D − F_free (not contested) or
 * A − P·(A + B_b) with A = D + B_s − F_free: monotone in P. P strictly increases with m until it
 * reaches 1 at m = n − k_eff + 1 (C(n − m, k_eff) = 0 from there), then stays 1. So past m_sat,
 * G's first maximum is at m_sat (G falling or flat) or at max(m_sat, n − k_eff + 1) (G rising).
 * The bond a cell needs (minimumBuyerBond) is monotone there too: it falls with m when A >= 0,
 * and is 0 until P = 1, then 1 wei, when A < 0. A row costs ~n·w/10,000 cells
 * instead of n (n for w = 10,000, 2 for the all-or-nothing w = 1); C(n − m, k_eff) goes from m
 * to m + 1 by one exact multiplication and division.
 */
function* rowCells(terms: DisputeEconomicsTerms, n: number, k: number): Generator<RowCell> {
  let escaped = binomial(n - 1, k); // C(n − m, k) at m = 1
  for (let m = 1; m <= n; m++) {
    const shortfall = lieShortfallBps(n, m);
    yield { lies: m, refund: gradedRefund(terms.deposit, shortfall, terms.refundSlopeBps), escaped };
    if (shortfall >= terms.refundSlopeBps) {
      const certain = n - k + 1; // the first m with P = 1
      if (certain > m) yield { lies: certain, refund: terms.deposit, escaped: 0n };
      return;
    }
    // C(n − m − 1, k) = C(n − m, k)·(n − m − k)/(n − m), exactly; 0 once fewer than k samples are honest.
    escaped = n - m - k <= 0 ? 0n : (escaped * BigInt(n - m - k)) / BigInt(n - m);
  }
}

/**
 * The best dishonest dispute under `terms`: the largest G over every n in [minSamples,
 * maxSamples] and every m in [1, n], at the first (smallest n, then smallest m) cell reaching
 * it. Exact, with the pruning of `rowCells` (test/sdk/disputeEconomics.test.ts checks it equals
 * brute force); ~0.1 s for the example listing, ~0.6 s at maxSamples = 1,024 with w = 10,000.
 */
export function worstCaseGain(terms: DisputeEconomicsTerms, openSlots: number = OPEN_SLOTS): DishonestDispute {
  requireDisputeEconomicsTerms(terms);
  requireOpenSlots(openSlots);
  let best: DishonestDispute | undefined;
  for (let n = terms.minSamples; n <= terms.maxSamples; n++) {
    const k = Math.min(openSlots, n);
    const total = binomial(n, k);
    const { toSeller: freeSamplesFee } = refundShares(terms, n); // F, capped at the deposit as RefundDisputes stakes it
    let rowBest: (RowCell & { gain: bigint }) | undefined;
    for (const cell of rowCells(terms, n, k)) {
      const gain = gainOf(terms, cell.refund, freeSamplesFee, cell.escaped, total);
      if (rowBest === undefined || gain > rowBest.gain) rowBest = { ...cell, gain };
    }
    if (rowBest !== undefined && (best === undefined || rowBest.gain > best.gain)) {
      best = disputeOf(terms, n, rowBest.lies, k, rowBest.escaped, total);
    }
  }
  if (best === undefined) throw new Error("unreachable: minSamples <= maxSamples gives at least one cell");
  return best;
}

/**
 * The smallest buyer bond B_b at which every dishonest dispute under `terms` loses money
 * (worstCaseGain < 0 with that bond). It always exists: a claim the seller does not contest
 * (R < F_free/2) loses more than F_free/2 whatever the bond. A contested cell loses iff
 * C(n−m, k)·(R + B_s − F_free) − (C(n, k) − C(n−m, k))·B_b < 0, i.e. iff B_b exceeds
 * C(n−m, k)·(R + B_s − F_free)/(C(n, k) − C(n−m, k)) (B_b >= 1 wei where P = 1).
 */
export function minimumBuyerBond(terms: DisputeEconomicsTerms, openSlots: number = OPEN_SLOTS): bigint {
  requireDisputeEconomicsTerms(terms);
  requireOpenSlots(openSlots);
  let bond = 0n;
  for (let n = terms.minSamples; n <= terms.maxSamples; n++) {
    const k = Math.min(openSlots, n);
    const total = binomial(n, k);
    const { toSeller: freeSamplesFee } = refundShares(terms, n); // F, capped at the deposit as RefundDisputes stakes it
    for (const { refund, escaped } of rowCells(terms, n, k)) {
      if (!sellerContests(refund, freeSamplesFee)) continue;
      const wonWhenMissed = escaped * (refund + terms.sellerBond - freeSamplesFee);
      const needed = wonWhenMissed >= 0n ? wonWhenMissed / (total - escaped) + 1n : 0n; // total > escaped for m, k >= 1
      if (needed > bond) bond = needed;
    }
  }
  return bond;
}
