/**
 * The extraction study's code paths on its small configuration (scripts/study, issue #15):
 *  - the channel splits queries into test-drives of the listing's maxSamples and adds the
 *    worker's own perturbation (refusing a negative sigma as the worker does);
 *  - equation solving recovers iris-logreg's weights exactly from d+1 exact answers, and not
 *    from top-1 labels;
 *  - fidelity is the share of test samples on which the surrogate predicts the victim's class,
 *    recomputed here by hand for a Knockoff surrogate;
 *  - the fidelity bracket and the pricing arithmetic on hand-checked numbers;
 *  - `node scripts/study/extraction.ts --small` writes its report, JSON, plots and curves file.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, it } from "node:test";
import { parseEther } from "viem";
import { chooseParameters, summarizePlan } from "@modelbazaar/sdk/he";
import type { ExtractionCurves } from "@modelbazaar/sdk/listings";
import { agreement } from "../../scripts/study/agreement.ts";
import { knockoffCurve, type QueryPool } from "../../scripts/study/attackRuns.ts";
import { answerQueries, type ChannelShape } from "../../scripts/study/channel.ts";
import { queriesToReach } from "../../scripts/study/curves.ts";
import { defenceSettings } from "../../scripts/study/defences.ts";
import { maxParameterError, planAsLinearModel, solveLinearModel } from "../../scripts/study/equationSolving.ts";
import { predictNetwork, trainSurrogate } from "../../scripts/study/knockoff.ts";
import { planScores } from "../../scripts/study/planScores.ts";
import { policyUnder, readMeasuredGas, testDriveGas } from "../../scripts/study/pricing.ts";
import { drawQueries } from "../../scripts/study/querySources.ts";
import { loadVictim, type Victim } from "../../scripts/study/victims.ts";
import { argmax } from "../../scripts/train/metrics.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const NONE = { id: "none", label: "none", sigma: 0 };

function shapeOf(victim: Victim, maxSamples = 1_000): ChannelShape {
  return { classes: victim.plan.outputSize, slots: chooseParameters(summarizePlan(victim.plan)).polyModulusDegree / 2, maxSamples };
}

describe("extraction study (small configuration)", { timeout: 120_000 }, () => {
  const logreg = loadVictim("iris-logreg", join(ROOT, "models"));

  it("the channel splits queries into test-drives of maxSamples and perturbs scores with the worker's noise", () => {
    const count = 250;
    const queries = drawQueries("uniform", logreg.split.train, count, 1);
    const exact = planScores(logreg.plan, queries, count);
    const plain = answerQueries(exact, count, shapeOf(logreg, 100), NONE);
    assert.equal(plain.testDrives, 3);
    assert.deepEqual(plain.scores, exact, "no defence: the scores come back exact");
    const noisy = answerQueries(exact, count, shapeOf(logreg, 100), { id: "noise-1", label: "noise", sigma: 1 });
    const differences = noisy.scores!.map((v, i) => v - exact[i]!);
    const rms = Math.sqrt(differences.reduce((s, d) => s + d * d, 0) / differences.length);
    assert.ok(rms > 0.85 && rms < 1.15, `sigma 1 noise has RMS ${rms}`);
    assert.throws(() => answerQueries(exact, count, shapeOf(logreg), { id: "bad", label: "bad", sigma: -1 }), /perturbation sigma must be a finite number >= 0, got -1/);
    const top1 = answerQueries(exact, count, shapeOf(logreg), { id: "top1", label: "top-1", sigma: 0, top1: true });
    assert.equal(top1.scores, undefined, "top-1 returns labels only");
    assert.deepEqual(top1.labels, argmax(exact, 3));
  });

  it("equation solving recovers the logistic regression exactly from d+1 exact answers, and not from top-1 labels", () => {
    const d = logreg.plan.inputSize;
    const queries = drawQueries("uniform", logreg.split.train, 100, 7);
    const exact = planScores(logreg.plan, queries, 100);
    const truth = planAsLinearModel(logreg.plan);
    const solved = solveLinearModel(queries, d + 1, d, 3, answerQueries(exact, d + 1, shapeOf(logreg), NONE));
    assert.ok(maxParameterError(solved, truth) < 1e-6, `error ${maxParameterError(solved, truth)}`);
    const labelsOnly = solveLinearModel(queries, 100, d, 3, answerQueries(exact, 100, shapeOf(logreg), { id: "top1", label: "top-1", sigma: 0, top1: true }));
    assert.ok(maxParameterError(labelsOnly, truth) > 1, `top-1 error ${maxParameterError(labelsOnly, truth)}`);
    const tooFew = solveLinearModel(queries, d, d, 3, answerQueries(exact, d, shapeOf(logreg), NONE));
    assert.ok(maxParameterError(tooFew, truth) > 1e-2, "d queries do not determine d+1 unknowns");
  });

  it("a Knockoff surrogate's fidelity is its agreement with the victim's top-1 on the test split", () => {
    const mlp = loadVictim("iris-square-mlp", join(ROOT, "models"));
    const test = mlp.split.test;
    const queries = drawQueries("task", mlp.split.train, 40, 3);
    const exact = planScores(mlp.plan, queries, 40);
    const victimTestLabels = argmax(planScores(mlp.plan, test.features, test.sampleCount), 3);
    const pool: QueryPool = { victim: mlp, shape: shapeOf(mlp), queries, exact, victimTestLabels };
    const [point] = knockoffCurve(pool, NONE, [40], 5, new Map());
    const surrogate = predictNetwork(trainSurrogate(mlp, queries, 40, argmax(exact, 3), 5), test.features, test.sampleCount);
    let same = 0;
    let right = 0;
    for (let s = 0; s < test.sampleCount; s++) {
      if (surrogate[s] === victimTestLabels[s]) same++;
      if (surrogate[s] === test.labels[s]) right++;
    }
    assert.equal(point!.fidelity, same / test.sampleCount);
    assert.equal(point!.accuracy, right / test.sampleCount);
    assert.equal(agreement([0, 1, 2, 1], [0, 2, 2, 1]), 0.75);
    assert.throws(() => agreement([0, 1], [0]), /two non-empty label lists of one length/);
  });

  it("brackets the queries a fidelity needs between the measured budgets", () => {
    const points = [10, 30, 100].map((queries, i) => ({ queries, testDrives: 1, fidelity: [0.5, 0.92, 0.97][i]!, accuracy: 0.9 }));
    assert.deepEqual(queriesToReach(points, 0.9), { atLeast: 11, atMost: 30 });
    assert.deepEqual(queriesToReach(points, 0.95), { atLeast: 31, atMost: 100 });
    assert.deepEqual(queriesToReach(points, 0.99), { atLeast: 101, atMost: undefined });
    assert.deepEqual(queriesToReach(points, 0.4), { atLeast: 1, atMost: 10 });
  });

  it("prices gas from the benchmarks and a cap from the setting, on hand-checked numbers", () => {
    const gas = readMeasuredGas(join(ROOT, "docs/benchmarks"));
    // 10 gwei: walk away = (openTest + recordSignedReceipt) gas, refund adds claimRefund and closeDispute.
    const perTest = testDriveGas({ openTest: 88_280, recordSignedReceipt: 55_930, claimRefund: 373_001, closeDispute: 132_301 }, 10n ** 10n);
    assert.deepEqual(perTest, { walkAway: 1_442_100_000_000_000n, refund: 6_495_120_000_000_000n });
    assert.ok(gas.openTest > 50_000 && gas.claimRefund > gas.openTest, "measured gas read");
    const policy = { deposit: parseEther("1"), feePerExtraSample: parseEther("0.0001"), freeSamples: 100, minSamples: 10, maxSamples: 1_000 };
    const [, , cap] = defenceSettings([1], 100);
    assert.deepEqual(policyUnder(policy, cap!), { ...policy, maxSamples: 100 });
    assert.deepEqual(policyUnder(policy, NONE), policy);
  });

  it("node scripts/study/extraction.ts --small writes the report, the JSON, the plots and the curves", async () => {
    const out = mkdtempSync(join(tmpdir(), "study-"));
    await promisify(execFile)(process.execPath, [join(ROOT, "scripts/study/extraction.ts"), "--small", "--out", out], { cwd: ROOT });
    const report = readFileSync(join(out, "extraction.md"), "utf8");
    assert.match(report, /\| iris-logreg \| none \(exact scores\) \| 90\.0% \| \d+–\d+ \| 1 \| [\d.]+ \| (refund|walk away) \| no \|/);
    const raw = JSON.parse(readFileSync(join(out, "extraction.json"), "utf8")) as { curves: { victim: string; points: { fidelity: number }[] }[] };
    assert.ok(raw.curves.length > 0 && raw.curves.every((c) => c.points.every((p) => p.fidelity >= 0 && p.fidelity <= 1)));
    assert.match(readFileSync(join(out, "extraction-iris-logreg-equation-solving.svg"), "utf8"), /^<svg [^>]*>[\s\S]*<polyline[\s\S]*<\/svg>\n$/);
    const curves = JSON.parse(readFileSync(join(out, "extractionCurves.json"), "utf8")) as ExtractionCurves;
    assert.deepEqual(curves.models.map((m) => m.name), ["iris-logreg", "iris-square-mlp"]);
    assert.ok(curves.models.every((m) => m.settings.every((s) => s.queriesFor90 >= 1)));
  });
});
