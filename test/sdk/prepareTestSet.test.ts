/**
 * The buyer's preparation of a test set (sdk/src/actions/prepareTestSet.ts) against the SDK's
 * commitment primitives: the commitment is the v2 dataCommitmentV2(featuresRoot(sample digests
 * of the quantized rows), labels, salt), the encrypted reals are exactly what the quantized values stand for, salts are fresh,
 * and a test set that does not fit the listing is refused with a sentence. Also the worker
 * client's sentence for a worker that does not answer.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { prepareTestSet, randomSalt, TestSetError } from "@modelbazaar/sdk/actions";
import { SNARK_SCALAR_FIELD, dataCommitmentV2, sampleSalt, featuresRoot, sampleDigest, quantizeFeatures } from "@modelbazaar/sdk/testDrives";
import { WorkerClient, WorkerClientError } from "@modelbazaar/sdk/worker";

const TASK = { featureCount: 2, classCount: 3, scaleBits: 8, featureBits: 12 };
const FEATURES = Float64Array.from([5.1, 3.5, 6.7, 0.2, -1.25, 7.99]);
const LABELS = [0, 2, 1];

describe("prepareTestSet", () => {
  it("commits to the quantized features, the labels and the salt exactly as the refund circuit will (v2)", () => {
    const set = prepareTestSet({ features: FEATURES, labels: LABELS, featureCount: 2, task: TASK, salt: 12345n });
    const rows = [[5.1, 3.5], [6.7, 0.2], [-1.25, 7.99]];
    const quantized = quantizeFeatures(rows, TASK);
    assert.deepEqual(set.quantized, quantized);
    const digests = quantized.map((row, i) => sampleDigest(i, row, sampleSalt(12345n, i), TASK));
    assert.equal(set.featuresRoot, featuresRoot(digests));
    assert.equal(set.dataCommitment, dataCommitmentV2({ featuresRoot: set.featuresRoot, labels: LABELS, salt: 12345n }));
    assert.deepEqual(Array.from(set.encrypted), quantized.flat().map((q) => (q - 2048) / 256));
    set.encrypted.forEach((x, i) => assert.ok(Math.abs(x - FEATURES[i]!) <= 1 / 512, `feature ${i} moved by more than half a step`));
  });

  it("draws a fresh field-element salt each time, so two commitments of one test set differ", () => {
    const a = prepareTestSet({ features: FEATURES, labels: LABELS, featureCount: 2, task: TASK });
    const b = prepareTestSet({ features: FEATURES, labels: LABELS, featureCount: 2, task: TASK });
    assert.notEqual(a.salt, b.salt);
    assert.notEqual(a.dataCommitment, b.dataCommitment);
    for (let i = 0; i < 20; i++) assert.ok(randomSalt() < SNARK_SCALAR_FIELD);
  });

  it("refuses a test set that does not fit the listing, in a sentence", () => {
    const refuse = (parameters: Partial<Parameters<typeof prepareTestSet>[0]>, sentence: RegExp) =>
      assert.throws(() => prepareTestSet({ features: FEATURES, labels: LABELS, featureCount: 2, task: TASK, ...parameters }), (error: unknown) => {
        assert.ok(error instanceof TestSetError);
        assert.match(error.message, sentence);
        return true;
      });
    refuse({ featureCount: 3, features: new Float64Array(9) }, /has 3 features per sample, but the listing's model takes 2/);
    refuse({ labels: [0, 3, 1] }, /sample 2 has label 3, but the listing's classes are 0 to 2/);
    refuse({ labels: [0, 1.5, 1] }, /sample 2 has label 1.5/);
    refuse({ features: Float64Array.from([5.1, 3.5, 6.7, 0.2, -1.25, 8]) }, /does not fit the listing's encoding: .*8 is outside the listing's range \[-8, 7.99609375\]/);
    refuse({ labels: [], features: new Float64Array(0) }, /has no samples/);
  });
});

describe("WorkerClient", () => {
  it("says so in a sentence when the worker does not answer", async () => {
    await assert.rejects(new WorkerClient("http://127.0.0.1:9/").listings(), (error: unknown) => {
      assert.ok(error instanceof WorkerClientError);
      assert.equal(error.code, "unreachable");
      assert.equal(error.message, "the worker at http://127.0.0.1:9 does not answer (is it running?)");
      return true;
    });
  });
});
