/**
 * The listing policy suggestion against model extraction (sdk/src/listings/extractionPolicy.ts)
 * and the extraction cost it rests on (extractionCost.ts):
 *  - the cost of a number of queries under a test policy, hand-checked: the cheaper of walking
 *    away from the deposit and winning it back by a refund, per test-drive of maxSamples;
 *  - the suggestion picks the noise with the most queries to 90 % fidelity within the honest
 *    buyers' cost bound, and terms that follow it make extraction cost more than the price;
 *  - refusals: no price, no measurements, a negative bound; a model not studied gets the most
 *    extractable studied model's numbers;
 *  - the committed curves (the study's full run) give every shipped model a suggestion.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEther } from "viem";
import {
  EXTRACTION_CURVES,
  ExtractionCostError,
  ExtractionPolicyError,
  extractionCost,
  policySuggestionLines,
  suggestListingPolicy,
  type ExtractionCurves,
} from "@modelbazaar/sdk/listings";

const DEMO = { deposit: parseEther("1"), feePerExtraSample: parseEther("0.0001"), freeSamples: 100, minSamples: 10, maxSamples: 1_000 };

const CURVES: ExtractionCurves = {
  source: "hand-made",
  date: "2026-12-07",
  models: [
    {
      name: "linear-model",
      featureCount: 4,
      classCount: 3,
      settings: [
        { perturbationSigma: 0, queriesFor90: 5, honestAddedRmsPoints: { "100": 0, "1000": 0 } },
        { perturbationSigma: 0.1, queriesFor90: 8, honestAddedRmsPoints: { "100": 0.7, "1000": 0.4 } },
        { perturbationSigma: 1, queriesFor90: 50, honestAddedRmsPoints: { "100": 4, "1000": 2.5 } },
      ],
    },
    {
      name: "network",
      featureCount: 4,
      classCount: 3,
      settings: [
        { perturbationSigma: 0, queriesFor90: 1_000, honestAddedRmsPoints: { "1000": 0 } },
        { perturbationSigma: 0.1, queriesFor90: 1_200, honestAddedRmsPoints: { "1000": 0.1 } },
        { perturbationSigma: 1, queriesFor90: 1_400, honestAddedRmsPoints: { "1000": 0.6 } },
      ],
    },
  ],
};

describe("extraction cost and the listing policy suggestion", () => {
  it("costs queries at the cheaper path per test-drive of maxSamples (hand-checked)", () => {
    // 5 queries: one test-drive filled up to minSamples = 10; a refund costs the 10 free samples' fee, 0.001 ETH.
    assert.deepEqual(extractionCost(DEMO, 5), { samples: 10, testDrives: 1, wei: parseEther("0.001"), path: "refund" });
    // 2,500: two of 1,000 (fee 900 x 0.0001 + staked 100 x 0.0001 = 0.1 each) and one of 500 (0.04 + 0.01).
    assert.deepEqual(extractionCost(DEMO, 2_500), { samples: 2_500, testDrives: 3, wei: parseEther("0.25"), path: "refund" });
    // A deposit below the free samples' fee: walking away (0.001 + 0.09) is cheaper than a refund (0.09 + 0.001 capped at D, a tie goes to walking away).
    const cheapDeposit = { ...DEMO, deposit: parseEther("0.001"), feePerExtraSample: parseEther("0.01") };
    assert.deepEqual(extractionCost(cheapDeposit, 1_000), { samples: 1_000, testDrives: 1, wei: parseEther("9.001"), path: "walk away" });
    // Gas per test-drive is added on each path.
    assert.equal(extractionCost(DEMO, 1_000, { walkAway: 1n, refund: parseEther("2") }).wei, parseEther("1.09") + 1n);
    assert.throws(() => extractionCost(DEMO, 0), ExtractionCostError);
    assert.throws(() => extractionCost({ ...DEMO, minSamples: 2_000 }, 10), /1 <= minSamples <= maxSamples, got 2000 and 1000/);
  });

  it("suggests the noise with the most queries within the honest bound, and terms that then meet it", () => {
    const price = parseEther("5");
    const s = suggestListingPolicy({ modelName: "network", price, testPolicy: DEMO }, CURVES);
    assert.equal(s.perturbationSigma, 1, "1,400 queries at 0.6 points");
    assert.equal(s.queriesFor90, 1_400);
    assert.equal(s.feePerExtraSample, parseEther("0.00358"), "5 / 1,400 = 0.0035714..., rounded up to three digits");
    assert.equal(s.deposit, parseEther("1"), "the seller's deposit already exceeds fee x freeSamples");
    assert.equal(s.maxSamples, 1_000);
    assert.match(s.basis, /^measured on network \(hand-made, 2026-12-07\)$/);
    assert.equal(s.meets, false, "0.0001 ETH a sample: 1,400 queries cost 0.14 ETH");
    const followed = { ...DEMO, feePerExtraSample: s.feePerExtraSample, deposit: s.deposit, maxSamples: s.maxSamples };
    const again = suggestListingPolicy({ modelName: "network", price, testPolicy: followed }, CURVES);
    assert.equal(again.meets, true);
    assert.ok(again.costUnderTerms.wei > price);
    const strict = suggestListingPolicy({ modelName: "network", price, testPolicy: DEMO, maxHonestCostPoints: 0.2 }, CURVES);
    assert.equal(strict.perturbationSigma, 0.1);
    const [verdict, advice] = policySuggestionLines(again, price);
    assert.match(verdict, /took at least 1,400 test-drive queries .*more than the price of 5 ETH: the terms meet the suggestion$/);
    assert.match(advice, /^suggested: fee per extra sample at least 0\.00358 ETH, deposit at least 1 ETH, at most 1,000 samples per test-drive, worker perturbationSigma 1 \(adds 0\.60 points/);
  });

  it("a model not studied gets the most extractable studied model's numbers; the deposit rises to fee x freeSamples", () => {
    const s = suggestListingPolicy({ modelName: "unknown", price: parseEther("5"), testPolicy: DEMO }, CURVES);
    assert.match(s.basis, /^unknown was not studied: the most extractable of the studied models \(linear-model, network; hand-made\)$/);
    assert.equal(s.perturbationSigma, 0.1, "sigma 1 costs 2.5 points on the linear model");
    assert.equal(s.queriesFor90, 8);
    assert.equal(s.feePerExtraSample, parseEther("0.626"), "5 / 8 = 0.625 exactly would only equal the price");
    assert.equal(s.deposit, parseEther("62.6"));
    assert.equal(s.maxSamples, 10, "a test-drive below 8 queries is not allowed by minSamples 10");
    assert.match(policySuggestionLines(s, parseEther("5"))[1], /, no cap helps \(your minSamples, 10, already allows a copy in one test-drive: the fee alone prices it\), worker perturbationSigma/);
  });

  it("refuses without a price, without measurements or with a negative bound", () => {
    assert.throws(() => suggestListingPolicy({ price: 0n, testPolicy: DEMO }, CURVES), (e: unknown) => e instanceof ExtractionPolicyError && /needs the listing's fixed price/.test(e.message));
    assert.throws(() => suggestListingPolicy({ price: 1n, testPolicy: DEMO }, { ...CURVES, models: [] }), /hold no measurements: run npm run study:extraction/);
    assert.throws(() => suggestListingPolicy({ price: 1n, testPolicy: DEMO, maxHonestCostPoints: -1 }, CURVES), /must be a number of points >= 0, got -1/);
    const noisyOnly: ExtractionCurves = { ...CURVES, models: [{ ...CURVES.models[0]!, settings: [CURVES.models[0]!.settings[2]!] }] };
    assert.throws(() => suggestListingPolicy({ price: 1n, testPolicy: DEMO }, noisyOnly), /No measured perturbation costs honest buyers 1 points or less/);
  });

  it("the committed curves give each shipped model a suggestion that, followed, meets it", () => {
    assert.deepEqual(EXTRACTION_CURVES.models.map((m) => m.name).sort(), ["iris-logreg", "iris-square-mlp", "mnist-cryptonets", "mnist-logreg"]);
    for (const { name } of EXTRACTION_CURVES.models) {
      const price = parseEther("5");
      const s = suggestListingPolicy({ modelName: name, price, testPolicy: DEMO });
      const followed = { ...DEMO, feePerExtraSample: s.feePerExtraSample, deposit: s.deposit, maxSamples: s.maxSamples };
      assert.equal(suggestListingPolicy({ modelName: name, price, testPolicy: followed }).meets, true, name);
    }
  });
});
