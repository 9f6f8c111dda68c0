/**
 * The federated client's round (sdk/src/recommend/federatedClient.ts, noisedUpload.ts): what it
 * uploads holds neither the user factor nor an unnoised gradient. The upload's fields are only
 * round, dimension, item ids and values; a literal cannot pass for one without a cast; its values
 * are the clipped gradient plus noise of the stated deviation σ·C (and exactly the clipped
 * gradient only when σ = 0); the refitted factor stays in the returned profile. Decoys: the item
 * set holds every touched item and the asked number of untouched ones, and with "all" it does not
 * depend on the history.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  federatedClientStep,
  itemConfidences,
  randomItemFactors,
  seededRandom,
  type Interaction,
  type NoisedItemUpdates,
  type UserProfile,
} from "@modelbazaar/sdk/recommend";

const factors = randomItemFactors(200, 8, seededRandom(1), 0.3);
const history: Interaction[] = [3, 17, 42, 43, 99, 150].map((itemId, k) => ({ itemId, kind: k % 3 === 0 ? "buy" : k % 3 === 1 ? "testDrive" : "browse", timestamp: 1_000 + k }));
const profile: UserProfile = { factor: [], history };
const mechanism = { clipNorm: 1, noiseMultiplier: 0.5 };
const step = (noiseMultiplier: number, decoys: number | "all", seed = 7, p: UserProfile = profile) =>
  federatedClientStep(p, factors, { round: 4, decoys, clipNorm: mechanism.clipNorm, noiseMultiplier }, seededRandom(seed));

describe("a federated client's upload", () => {
  it("has only round, dimension, item ids and noised values; the user factor stays in the profile", () => {
    const { profile: updated, upload } = step(mechanism.noiseMultiplier, "all");
    assert.deepEqual(Object.keys(upload).sort(), ["dimension", "itemIds", "round", "values"]);
    assert.equal(updated.factor.length, 8);
    assert.deepEqual(updated.history, history);
    // no uploaded item vector is the user factor (or points along it, as a plain gradient would)
    const x = updated.factor;
    const norm = Math.hypot(...x);
    for (let k = 0; k < upload.itemIds.length; k++) {
      const v = Array.from(upload.values.subarray(k * 8, (k + 1) * 8));
      const cosine = v.reduce((s, value, a) => s + value * x[a]!, 0) / (Math.hypot(...v) * norm);
      assert.ok(Math.abs(cosine) < 0.999, `item ${upload.itemIds[k]} is sent along the user factor`);
    }
  });

  it("cannot be built from a literal: only privatizeUpdates (clip and noise) makes one", () => {
    // @ts-expect-error a NoisedItemUpdates carries a brand only privatizeUpdates sets
    const forged: NoisedItemUpdates = { round: 0, dimension: 8, itemIds: [1], values: new Float32Array(8) };
    assert.ok(forged);
  });

  it("is the clipped gradient plus noise of deviation σ·C, never the gradient itself", () => {
    const clean = step(0, "all").upload;
    let squared = 0;
    for (const value of clean.values) squared += value * value;
    assert.ok(Math.sqrt(squared) <= mechanism.clipNorm * (1 + 1e-6), "σ = 0: the whole upload is clipped to C");
    const noisy = step(mechanism.noiseMultiplier, "all").upload;
    assert.deepEqual(noisy.itemIds, clean.itemIds);
    const residual = Array.from(noisy.values, (value, k) => value - clean.values[k]!);
    assert.ok(residual.every((r) => r !== 0), "every value is noised");
    const deviation = Math.sqrt(residual.reduce((s, r) => s + r * r, 0) / residual.length);
    const expected = mechanism.noiseMultiplier * mechanism.clipNorm;
    assert.ok(Math.abs(deviation - expected) < 0.05 * expected, `noise deviation ${deviation}, expected ${expected}`);
  });

  it("lists every touched item and the asked number of never-touched decoys; with all decoys the set is independent of the history", () => {
    const touched = [...itemConfidences(history).keys()];
    const { upload } = step(0, 20);
    assert.equal(upload.itemIds.length, touched.length + 20);
    for (const itemId of touched) assert.ok(upload.itemIds.includes(itemId));
    assert.deepEqual([...upload.itemIds], [...upload.itemIds].sort((a, b) => a - b));
    const other = step(0, "all", 9, { factor: [], history: [{ itemId: 5, kind: "browse", timestamp: 1 }] }).upload;
    assert.deepEqual(step(0, "all").upload.itemIds, other.itemIds);
    assert.equal(other.itemIds.length, factors.count);
  });
});
