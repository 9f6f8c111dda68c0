/**
 * The worker's cheap pre-check of an upload on disk: readUploadLayout (sdk/src/he/container.ts)
 * through the file source (offchain-worker/src/he/fileByteSource.ts) on real BuyerSession
 * uploads written to temp files. It must see what the full decoder sees, refuse a truncated or
 * overlong file with the decoder's own error, and read only the header and length prefixes;
 * every count must be checked (against the container, the plan and the paid samples) before
 * the parser sizes anything by it; the CKKS evaluator's inspectUpload must use it and still
 * sort refusals into 400 and 422.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  BuyerSession,
  bytesSource,
  decodeUpload,
  readUploadLayout,
  type ByteSource,
  chooseParameters,
  type HeErrorCode,
  summarizePlan,
} from "@modelbazaar/sdk/he";
import { createEvaluator } from "../../offchain-worker/src/he/ckksEvaluator.ts";
import { inspectUpload, inspectUploadLayout } from "../../offchain-worker/src/he/engine/evaluateUpload.ts";
import { withFileSource } from "../../offchain-worker/src/he/fileByteSource.ts";
import { isUploadValidationError, type UploadProblem } from "../../offchain-worker/src/evaluation/evaluator.ts";
import { logisticPlan, randomFeatures, squareNetPlan } from "./planFixtures.ts";
import { countsOnlyUpload } from "../worker/hostileClient.ts";

const MODEL = new URL("../../models/iris-logreg.onnx", import.meta.url).pathname;

/** `source`, counting the bytes asked of it. */
function counting(source: ByteSource): ByteSource & { bytesRead: number } {
  const counted = {
    bytesRead: 0,
    length: source.length,
    read(offset: number, length: number): Uint8Array {
      counted.bytesRead += length;
      return source.read(offset, length);
    },
  };
  return counted;
}

describe("upload layout from a file", () => {
  const plan = squareNetPlan(3, 4, 3, 2); // multiplies ciphertexts: the upload carries relinearization keys
  const dir = mkdtempSync(join(tmpdir(), "mbhe-layout-"));
  let upload: Uint8Array;
  let slots: number;

  /** Writes `bytes` to a fresh file in the temp directory; returns its path. */
  const file = (name: string, bytes: Uint8Array): string => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };

  before(async () => {
    const session = await BuyerSession.create(summarizePlan(plan));
    try {
      slots = session.he.slots;
      const samples = slots + 5; // two batches
      upload = session.encryptTestSet(randomFeatures(4, samples, plan.inputSize), samples);
    } finally {
      session.delete();
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("serves the file's bytes at any offset, across the read-ahead window and beyond it", () => {
    withFileSource(file("raw.mbhe", upload), (source) => {
      assert.equal(source.length, upload.length);
      for (const [offset, length] of [[0, 4], [4, 2], [4090, 12], [3, 4096], [100, 10_000], [upload.length - 4, 4], [0, 0]] as const) {
        assert.deepEqual(source.read(offset, length), upload.slice(offset, offset + length), `${length} bytes at ${offset}`);
      }
    });
  });

  it("gives the full decoder's fields while reading only the header and the length prefixes", () => {
    const { relinKeys, batches, ...fields } = decodeUpload(upload);
    assert.ok(relinKeys.length > 0 && batches.length === 2, "keys and two batches of ciphertexts");
    const source = withFileSource(file("good.mbhe", upload), (source) => {
      const counted = counting(source);
      assert.deepEqual(readUploadLayout(counted), { ...fields, relinKeysBytes: relinKeys.length, batchCount: 2 });
      return counted;
    });
    const prefixes = 4 * (1 + batches.length * plan.inputSize);
    const fixed = 40 + 4 + 3 + fields.parameters.coeffModulusBits.length + 16;
    assert.equal(source.bytesRead, fixed + prefixes, "the header, the counts and one 4-byte prefix per part");
    assert.ok(source.bytesRead * 1000 < upload.length, `${source.bytesRead} of ${upload.length} bytes`);
  });

  it("refuses a truncated or overlong file as the full decoder does", () => {
    const { batches } = decodeUpload(upload);
    const lastCiphertext = batches.at(-1)!.at(-1)!;
    const cases: [string, Uint8Array, HeErrorCode][] = [
      ["cut in the header", upload.subarray(0, 30), "truncated"],
      ["cut in the relinearization keys", upload.subarray(0, 200), "truncated"],
      ["cut in the last ciphertext", upload.subarray(0, upload.length - lastCiphertext.length / 2), "truncated"],
      ["one byte short", upload.subarray(0, upload.length - 1), "truncated"],
      ["trailing bytes", Uint8Array.from([...upload, 0, 0]), "count-mismatch"],
    ];
    // Messages equal the decoder's (test/he/client.test.ts); here: the file source adds no error of its own.
    for (const [name, bytes, code] of cases) {
      const path = file("malformed.mbhe", bytes);
      assert.throws(() => decodeUpload(bytes), { name: "HeError", code }, name);
      assert.throws(() => withFileSource(path, readUploadLayout), { name: "HeError", code }, name);
    }
  });

  it("checks the layout against a plan like the full-bytes inspection", () => {
    const path = file("plan.mbhe", upload);
    assert.equal(withFileSource(path, (source) => inspectUploadLayout(plan, source)).samples, slots + 5);
    const other = logisticPlan(5, 6, 2);
    const mismatch = { name: "HeError", code: "count-mismatch", message: /this model takes 6\./ };
    assert.throws(() => inspectUpload(other, upload), mismatch);
    assert.throws(() => withFileSource(path, (source) => inspectUploadLayout(other, source)), mismatch);
  });

  it("checks every count before sizing anything by it: the 70-byte upload of no features and 2^32-1 batches (issue #12)", () => {
    const parameters = chooseParameters(summarizePlan(plan));
    const heapBefore = process.memoryUsage().heapUsed;
    const cases: [string, Uint8Array, HeErrorCode, RegExp][] = [
      ["no features, 2^32-1 batches", countsOnlyUpload(parameters), "count-mismatch", /has 0 features per sample; this model takes 4\./],
      ["the model's features, 2^32-1 batches for one sample", countsOnlyUpload(parameters, { features: plan.inputSize }), "count-mismatch", /need 1 batches, but the container declares 4294967295/],
      ["other features, 2^32-1 batches", countsOnlyUpload(parameters, { features: 1 }), "count-mismatch", /this model takes 4\./],
      ["2^32-1 samples in as many batches as they need", countsOnlyUpload(parameters, { samples: 0xffffffff, features: plan.inputSize, batchCount: Math.ceil(0xffffffff / slots) }), "too-many-samples", /declares 4294967295 samples, more than the 50 paid for/],
    ];
    for (const [name, bytes, code, message] of cases) {
      const path = file("counts.mbhe", bytes);
      assert.throws(() => withFileSource(path, (source) => inspectUploadLayout(plan, source, 50)), { name: "HeError", code, message }, name);
    }
    // Without the plan, the container's own counts stop it just as early.
    const zeroFeatures = cases[0]![1];
    assert.equal(zeroFeatures.length, 67 + parameters.coeffModulusBits.length, "the header, the counts and nothing else");
    for (const parse of [() => decodeUpload(zeroFeatures), () => readUploadLayout(bytesSource(zeroFeatures))]) {
      assert.throws(parse, { code: "count-mismatch", message: /need 1 batches, but the container declares 4294967295/ });
    }
    assert.throws(() => decodeUpload(countsOnlyUpload(parameters, { batchCount: 1 })), { code: "count-mismatch", message: /declares no features per batch/ });
    const grown = process.memoryUsage().heapUsed - heapBefore;
    assert.ok(grown < 64 * 2 ** 20, `the parser grew the heap by ${grown} bytes`);
  });

  it("is what the CKKS evaluator's inspectUpload reads, with malformed (400) and incompatible (422) refusals", async () => {
    const modelId = "iris";
    const evaluator = await createEvaluator({ modelIds: [modelId], settings: { models: { [modelId]: { onnx: MODEL } } } });
    const session = await BuyerSession.create(evaluator.describe(modelId).plan);
    let iris: Uint8Array;
    try {
      iris = session.encryptTestSet(randomFeatures(6, 30, 4), 30);
    } finally {
      session.delete();
    }
    const inspect = (name: string, bytes: Uint8Array, paidSamples = 30) => evaluator.inspectUpload({ modelId, uploadPath: file(name, bytes), uploadSize: bytes.length, paidSamples });
    assert.deepEqual(await inspect("iris.mbhe", iris), { declaredSamples: 30 });
    const refused = (problem: UploadProblem) => (error: unknown) => isUploadValidationError(error) && error.problem === problem;
    await assert.rejects(inspect("iris-unpaid.mbhe", iris, 29), refused("too-many-samples"));
    await assert.rejects(inspect("iris-cut.mbhe", iris.subarray(0, iris.length - 1)), refused("malformed"));
    await assert.rejects(inspect("iris-other.mbhe", upload), refused("incompatible"));
  });
});
