/**
 * Issue #14: a Relu network trained on real MNIST digits, approximated from real calibration
 * images, must agree with onnxruntime at least as often as the one approximated from the
 * synthetic samples, and above the agreement `model check` requires. The least-squares fit
 * over the widened calibrated range did not (90% calibrated against 98% synthetic on this
 * network; 37% on a CryptoNets-shaped one): the fit is now chosen by its error on the layer's
 * real inputs. Agreement is counted here on held-out test images, never seen by training or
 * calibration.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { evaluatePlanPlain, type HePlan } from "@modelbazaar/sdk/he";
import { compileOnnx } from "../../offchain-worker/src/he/compiler/index.ts";
import { FIT_METHODS } from "../../offchain-worker/src/he/compiler/polynomialFit.ts";
import { DEFAULT_MIN_AGREEMENT } from "../../offchain-worker/src/he/planAgreement.ts";
import { FLOAT, runModel } from "../../scripts/lib/onnxGraph.ts";
import { trainReluMlp, type TrainedReluMlp } from "../helpers/trainedReluMlp.ts";

const CALIBRATION = 300;
const HELD_OUT = 500;
const PIXELS = 784;

function argmax(v: ArrayLike<number>, from: number, n: number): number {
  let best = 0;
  for (let k = 1; k < n; ++k) if (v[from + k]! > v[from + best]!) best = k;
  return best;
}

/** Fraction of the held-out images on which the plan (in plain floating point) and onnxruntime pick the same class. */
function heldOutAgreement(plan: HePlan, mlp: TrainedReluMlp, original: Float64Array): number {
  let agree = 0;
  for (let s = 0; s < HELD_OUT; ++s) {
    const scores = evaluatePlanPlain(plan, mlp.heldOut.subarray(s * PIXELS, (s + 1) * PIXELS));
    if (argmax(scores, 0, 10) === argmax(original, s * 10, 10)) ++agree;
  }
  return agree / HELD_OUT;
}

describe("HE compiler: a trained Relu network approximated from real calibration data", { timeout: 120_000 }, () => {
  let mlp: TrainedReluMlp;
  let original: Float64Array;
  before(async () => {
    mlp = trainReluMlp(CALIBRATION, HELD_OUT);
    original = await runModel(mlp.onnx, "input", mlp.heldOut, [HELD_OUT, PIXELS], FLOAT);
  });

  for (const degree of [2, 3] as const) {
    it(`at degree ${degree}: agrees with onnxruntime on held-out images at least as often as uncalibrated, and above the model check threshold`, async () => {
      const calibrated = await compileOnnx(mlp.onnx, { calibration: mlp.calibration, polynomialDegree: degree });
      const uncalibrated = await compileOnnx(mlp.onnx, { polynomialDegree: degree });
      const withData = heldOutAgreement(calibrated.plan, mlp, original);
      const without = heldOutAgreement(uncalibrated.plan, mlp, original);
      assert.ok(withData >= without, `calibrated ${withData} < uncalibrated ${without}`);
      assert.ok(withData >= DEFAULT_MIN_AGREEMENT, `calibrated agreement ${withData}`);
      assert.ok(calibrated.report.comparison!.argmaxAgreement >= DEFAULT_MIN_AGREEMENT, "the report's own comparison, on the calibration images, agrees");
    });
  }

  it("reports, per approximated layer, every method's held-out error on the calibration inputs and picks the lowest", async () => {
    const { plan, report } = await compileOnnx(mlp.onnx, { calibration: mlp.calibration, polynomialDegree: 2 });
    const layer = report.layers.find((l) => l.kind === "monomials")!;
    const fit = layer.fit!;
    assert.deepEqual(fit.candidates.map((c) => c.method), [...FIT_METHODS]);
    assert.equal(fit.rmsError, Math.min(...fit.candidates.map((c) => c.rmsError)));
    assert.ok(fit.rmsError > 0 && fit.rmsError <= fit.maxError, `rms ${fit.rmsError}, max ${fit.maxError}`);
    const node = report.nodes.find((n) => n.opType === "Relu")!;
    assert.deepEqual(node.fit, fit);
    assert.match(node.detail, new RegExp(`on held-out calibration inputs \\(${fit.method}\\): rms error`));
    // The pre-activations of a trained layer sit mostly near 0: the uniform fit over their range is worse where they are.
    const uniform = fit.candidates.find((c) => c.method === "least-squares")!;
    assert.ok(fit.rmsError < uniform.rmsError / 2, `${fit.method} ${fit.rmsError} vs least-squares ${uniform.rmsError}`);
    assert.ok(plan.layers[layer.index]!.kind === "monomials");
  });

  it("by default takes degree 3 when its plan fits the ring degree 2 needs, and says so", async () => {
    const { plan, report } = await compileOnnx(mlp.onnx, { calibration: mlp.calibration });
    const monomials = plan.layers.find((l) => l.kind === "monomials")!;
    assert.equal(monomials.kind === "monomials" && monomials.degree, 3);
    assert.ok(report.notes.some((n) => /activations approximated at degree 3: the plan still fits N = \d+, as at degree 2/.test(n)), report.notes.join("; "));
  });

  it("tries only the fits it is given (the fit before issue #14, for bench:relu), and refuses an empty list", async () => {
    const { report } = await compileOnnx(mlp.onnx, { calibration: mlp.calibration, polynomialDegree: 2, fitMethods: ["least-squares"] });
    const fit = report.layers.find((l) => l.kind === "monomials")!.fit!;
    assert.equal(fit.method, "least-squares");
    assert.deepEqual(fit.candidates.map((c) => c.method), ["least-squares"]);
    await assert.rejects(compileOnnx(mlp.onnx, { fitMethods: [] }), /fitMethods must name at least one fit method/);
  });
});
