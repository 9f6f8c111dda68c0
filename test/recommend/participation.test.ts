/**
 * A buyer's participation (sdk/src/recommend/participation.ts): the stated noise gives ε ≤ 8 for
 * the month's three rounds and a fourth would pass the budget (checked against the accounting);
 * the month's two readings compose the rounds' sum and share multipliers, and rounds kept before
 * secure aggregation count as the clear uploads they were; a contribution holds every listing,
 * clipped, with the roster-sized share of the noise. A kept ledger read back from the device's
 * store keeps its well-formed rounds and drops what no client writes, so a damaged entry neither
 * crashes the month's count nor lowers it by a noise multiplier larger than any round carries.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  calibrateNoise,
  epsilonSpent,
  gaussianEpsilon,
  keptRounds,
  PARTICIPATION,
  participationContribution,
  randomItemFactors,
  seededRandom,
  type UserProfile,
} from "@modelbazaar/sdk/recommend";

const DEC_2026 = Date.UTC(2026, 11, 7) / 1000;
const { sumNoiseMultiplier: z, delta } = PARTICIPATION;
const epsilon = (noiseMultiplier: number, rounds: number) => gaussianEpsilon({ noiseMultiplier, samplingRate: 1, rounds, delta }).epsilon;

describe("a buyer's participation", () => {
  it("spends at most the monthly budget in three rounds, and a fourth would pass it", () => {
    assert.ok(Math.abs(z / calibrateNoise(PARTICIPATION.monthlyEpsilonBudget, { samplingRate: 1, rounds: 3, delta }) - 1) < 0.001);
    assert.ok(epsilon(z, 3) <= PARTICIPATION.monthlyEpsilonBudget);
    assert.ok(epsilon(z, 4) > PARTICIPATION.monthlyEpsilonBudget);
  });

  it("counts both readings per calendar month, and rounds from before secure aggregation as clear uploads", () => {
    const secure = [0, 1].map((round) => ({ round, at: DEC_2026 + round, sumNoiseMultiplier: z, uploadNoiseMultiplier: z / Math.sqrt(100) }));
    const spent = epsilonSpent(secure, "2026-12");
    assert.equal(spent.rounds, 2);
    assert.ok(Math.abs(spent.epsilon - epsilon(z, 2)) < 1e-9);
    assert.ok(Math.abs(spent.uploadEpsilon - epsilon(z / 10, 2)) < 1e-9);
    assert.ok(spent.uploadEpsilon > spent.epsilon, "one buyer's share alone protects less than the sum");
    assert.deepEqual(epsilonSpent(secure, "2027-01"), { epsilon: 0, uploadEpsilon: 0, rounds: 0 });
    const clear = epsilonSpent([{ round: 0, at: DEC_2026 }], "2026-12");
    assert.ok(Math.abs(clear.epsilon - epsilon(4, 1)) < 1e-9 && clear.epsilon === clear.uploadEpsilon);
  });

  it("contributes every listing's clipped update with the roster-sized share of the noise", () => {
    const factors = randomItemFactors(400, 8, seededRandom(3), 0.5);
    const profile: UserProfile = { factor: [], history: [{ itemId: 2, kind: "testDrive", timestamp: 10 }, { itemId: 5, kind: "buy", timestamp: 20 }] };
    const nearlyNoiseless = participationContribution(profile, factors, 0, 1e12, seededRandom(9));
    const ofThree = participationContribution(profile, factors, 0, 3, seededRandom(9));
    assert.equal(ofThree.length, factors.count * factors.dimension);
    assert.ok(Math.hypot(...nearlyNoiseless) <= PARTICIPATION.clipNorm * (1 + 1e-6), "the update is clipped to C");
    const noise = ofThree.map((value, k) => value - nearlyNoiseless[k]!);
    const deviation = Math.sqrt(noise.reduce((total, value) => total + value * value, 0) / noise.length);
    const expected = (z * PARTICIPATION.clipNorm) / Math.sqrt(3);
    assert.ok(Math.abs(deviation / expected - 1) < 0.05, `noise deviation ${deviation}, expected ${expected}`);
  });

  it("reads a kept ledger back: well-formed rounds kept, damaged entries dropped, and no multiplier above what a client writes", () => {
    const secure = { round: 3, at: DEC_2026, sumNoiseMultiplier: z, uploadNoiseMultiplier: z / Math.sqrt(3) };
    const legacy = { round: 1, at: DEC_2026 };
    assert.deepEqual(keptRounds([secure, legacy]), [secure, legacy]);
    assert.deepEqual(keptRounds({ rounds: [secure] }), [], "not a list: no rounds");
    const damaged = [null, 7, { round: 2 }, { round: 2, at: "soon" }, { round: 2, at: Number.NaN }, { round: -1, at: DEC_2026 }, { round: 2, at: 1e300 }];
    assert.doesNotThrow(() => epsilonSpent(keptRounds(damaged), "2026-12"));
    assert.deepEqual(keptRounds([...damaged, secure]), [secure]);
    const inflated = keptRounds([{ round: 4, at: DEC_2026, sumNoiseMultiplier: 1e9, uploadNoiseMultiplier: 1e9 }]);
    assert.ok(epsilonSpent(inflated, "2026-12").epsilon >= epsilon(4, 1) - 1e-9, "a multiplier above any round's counts as the clear upload's, σ = 4");
  });
});
