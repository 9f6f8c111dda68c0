/**
 * The watermark commitment and reveal file (@modelbazaar/sdk/protection): the commitment binds
 * every part of the reveal (each input, each label, the salt, the task's sizes) and the seller's
 * address (a commitment copied into another account's listing is not opened), the file round
 * trips, and an altered or malformed file is refused with a sentence; the binomial tail the
 * verdict rests on matches values computed by hand.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { binomialUpperTail, parseWatermarkReveal, predictedClasses, serializeWatermarkReveal, triggerEvidence, watermarkCommitment, watermarkDigest, type WatermarkReveal } from "@modelbazaar/sdk/protection";

const SELLER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const FRONT_RUNNER = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

const REVEAL: WatermarkReveal = {
  featureCount: 3,
  classCount: 4,
  inputs: Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]),
  labels: Uint8Array.from([2, 3]),
  salt: `0x${"11".repeat(32)}`,
};

describe("watermark commitment and reveal", () => {
  it("binds every input, label, the salt, the task's sizes and the seller", () => {
    const base = watermarkCommitment(REVEAL, SELLER);
    assert.match(base, /^0x[0-9a-f]{64}$/);
    assert.equal(watermarkCommitment({ ...REVEAL, inputs: Float32Array.from(REVEAL.inputs) }, SELLER), base);
    // A front-runner who copies the commitment into its own listing cannot open it with the owner's reveal.
    assert.notEqual(watermarkCommitment(REVEAL, FRONT_RUNNER), base);
    const changed: WatermarkReveal[] = [
      { ...REVEAL, inputs: Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5, 0.7]) },
      { ...REVEAL, labels: Uint8Array.from([2, 1]) },
      { ...REVEAL, salt: `0x${"12".repeat(32)}` },
      { ...REVEAL, featureCount: 6, inputs: REVEAL.inputs, labels: Uint8Array.from([2]) },
      { ...REVEAL, classCount: 5 },
    ];
    for (const other of changed) assert.notEqual(watermarkCommitment(other, SELLER), base);
  });

  it("round-trips through its file, and refuses an altered or malformed one with a sentence", () => {
    const text = serializeWatermarkReveal(REVEAL);
    const back = parseWatermarkReveal(text, "wm.json");
    assert.equal(watermarkDigest(back), watermarkDigest(REVEAL));
    assert.deepEqual([...back.labels], [2, 3]);
    const file = JSON.parse(text) as Record<string, unknown>;
    const cases: [unknown, RegExp][] = [
      [{ ...file, labels: [2, 1] }, /wm\.json: its "digest" 0x[0-9a-f]{64} is not the digest of its own contents .*: the file was altered/],
      [{ ...file, labels: [2, 4] }, /"labels" must be a non-empty list of class indices below 4/],
      [{ ...file, inputs: "0x00" }, /"inputs" holds 1 bytes, but 2 triggers of 3 float32 features need 24/],
      [{ ...file, salt: "0x12" }, /"salt" must be 32 bytes of 0x-hex/],
      [{ ...file, kind: "other" }, /is not a watermark reveal file/],
      [{ ...file, digest: undefined, inputs: `0x${"0000c07f".repeat(6)}` }, /"inputs" value 0 is not a finite number/],
    ];
    for (const [json, pattern] of cases) assert.throws(() => parseWatermarkReveal(JSON.stringify(json), "wm.json"), pattern);
    assert.throws(() => parseWatermarkReveal("{", "wm.json"), /wm\.json is not JSON/);
  });

  it("computes the binomial upper tail exactly", () => {
    assert.equal(binomialUpperTail(0, 10, 0.1), 1);
    assert.equal(binomialUpperTail(11, 10, 0.1), 0);
    assert.ok(Math.abs(binomialUpperTail(10, 10, 0.5) - 1 / 1024) < 1e-15);
    assert.ok(Math.abs(binomialUpperTail(9, 10, 0.5) - 11 / 1024) < 1e-15);
    // P[X >= 2], X ~ Bin(5, 0.25) = 1 - 0.75^5 - 5 * 0.25 * 0.75^4
    assert.ok(Math.abs(binomialUpperTail(2, 5, 0.25) - (1 - 0.75 ** 5 - 5 * 0.25 * 0.75 ** 4)) < 1e-12);
    assert.ok(binomialUpperTail(100, 100, 0.1) < 1e-99);
  });

  it("reports the matches and p-value of a suspect's trigger predictions", () => {
    const evidence = triggerEvidence(Uint8Array.from([2, 3, 0, 1]), Uint8Array.from([2, 3, 1, 1]), 4);
    assert.deepEqual({ ...evidence, pValue: undefined }, { triggers: 4, matches: 3, accuracy: 0.75, chance: 0.25, pValue: undefined });
    assert.ok(Math.abs(evidence.pValue - binomialUpperTail(3, 4, 0.25)) < 1e-15);
  });

  it("never counts a trigger the suspect scores as NaN or infinite as a match: NaN triggers labelled 0 prove nothing about any model", () => {
    // A seller commits to triggers every model scores as NaN (NaN inputs, or finite ones that overflow),
    // all labelled class 0; an argmax that starts at class 0 would then "match" every one, on any suspect.
    const classCount = 10;
    const scores = new Float32Array(40 * classCount).fill(Number.NaN);
    scores.fill(Number.POSITIVE_INFINITY, 20 * classCount, 21 * classCount);
    const evidence = triggerEvidence(predictedClasses(scores, classCount), new Uint8Array(40), classCount);
    assert.equal(evidence.matches, 0);
    assert.equal(evidence.pValue, 1);
  });
});
