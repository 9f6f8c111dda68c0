/**
 * The privacy accounting (sdk/src/recommend/privacyAccounting.ts) against known values: the
 * Gaussian mechanism's RDP α/(2σ²) exactly; the subsampled Gaussian at q = 1 equal to it; the
 * conversion ε = min over α of rdp + log(1/δ)/(α − 1), checked by hand on a small curve; and
 * TF-Privacy's published DP-SGD numbers (tensorflow/privacy tutorials/README.md, "Select
 * Parameters", MNIST: N = 60,000, batch 256, δ = 1e-5): σ = 1.1 over 60 epochs ε = 3.01,
 * σ = 1.3 over 15 epochs ε = 1.19, σ = 0.7 over 45 epochs ε = 7.10.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { calibrateNoise, DEFAULT_ORDERS, gaussianEpsilon, gaussianRdp, rdpToEpsilon, subsampledGaussianRdp } from "@modelbazaar/sdk/recommend";

describe("Rényi-DP accounting of the Gaussian mechanism", () => {
  it("gives the Gaussian mechanism's RDP α/(2σ²) exactly, and the subsampled one at q = 1 equal to it", () => {
    assert.equal(gaussianRdp(2, 1), 1);
    assert.equal(gaussianRdp(10, 2), 10 / 8);
    for (const order of [2, 3.5, 32]) assert.equal(subsampledGaussianRdp(order, 1.5, 1), order / (2 * 1.5 * 1.5));
    assert.equal(subsampledGaussianRdp(4, 1.5, 0), 0);
  });

  it("subsampling amplifies: the RDP at q < 1 is below the full mechanism's and grows with q", () => {
    const at = (q: number) => subsampledGaussianRdp(8, 1.1, q);
    assert.ok(at(0.01) < at(0.1) && at(0.1) < at(0.5) && at(0.5) < gaussianRdp(8, 1.1));
    // integer and fractional orders agree where they meet
    assert.ok(Math.abs(subsampledGaussianRdp(8, 1.1, 0.01) - subsampledGaussianRdp(8.0001, 1.1, 0.01)) < 1e-5);
  });

  it("converts RDP to (ε, δ) by minimizing rdp + log(1/δ)/(α − 1) over the orders", () => {
    const delta = 1e-5;
    const orders = [2, 5, 20];
    const rdp = [0.1, 0.5, 3];
    const expected = Math.min(...orders.map((order, k) => rdp[k]! + Math.log(1 / delta) / (order - 1)));
    const { epsilon, order } = rdpToEpsilon(orders, rdp, delta);
    assert.equal(epsilon, expected);
    assert.equal(order, 5); // 0.5 + 11.513/4 = 3.378 beats 0.1 + 11.513 and 3 + 0.606
    // the Gaussian mechanism over T rounds: ε = min_α Tα/(2σ²) + log(1/δ)/(α − 1)
    const sigma = 4;
    const rounds = 10;
    const byHand = Math.min(...DEFAULT_ORDERS.map((a) => (rounds * a) / (2 * sigma * sigma) + Math.log(1 / delta) / (a - 1)));
    assert.equal(gaussianEpsilon({ noiseMultiplier: sigma, samplingRate: 1, rounds, delta }).epsilon, byHand);
  });

  it("reproduces TF-Privacy's compute_dp_sgd_privacy for the MNIST tutorial's settings", () => {
    const samplingRate = 256 / 60_000;
    for (const { sigma, epochs, published } of [
      { sigma: 1.1, epochs: 60, published: 3.01 },
      { sigma: 1.3, epochs: 15, published: 1.19 },
      { sigma: 0.7, epochs: 45, published: 7.1 },
    ]) {
      const rounds = Math.ceil((epochs * 60_000) / 256);
      const { epsilon } = gaussianEpsilon({ noiseMultiplier: sigma, samplingRate, rounds, delta: 1e-5 });
      assert.ok(Math.abs(epsilon - published) < 0.005, `σ = ${sigma}, ${epochs} epochs: ε = ${epsilon}, published ${published}`);
    }
  });

  it("calibrates the smallest noise that keeps ε at a target, and refuses nonsense", () => {
    const parameters = { samplingRate: 1, rounds: 20, delta: 1e-5 };
    const sigma = calibrateNoise(8, parameters);
    assert.ok(gaussianEpsilon({ ...parameters, noiseMultiplier: sigma }).epsilon <= 8);
    assert.ok(gaussianEpsilon({ ...parameters, noiseMultiplier: sigma * 0.99 }).epsilon > 8);
    assert.throws(() => calibrateNoise(0, parameters), /target ε is positive/);
    assert.throws(() => subsampledGaussianRdp(2, 1, 1.5), /sampling rate is in \[0, 1\]/);
    assert.throws(() => rdpToEpsilon([2], [1], 0), /δ is in \(0, 1\)/);
  });
});
