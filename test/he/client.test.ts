/**
 * The buyer's HE client (sdk/src/he): parameter choice against SEAL's 128-bit budget (with
 * fused wide levels too), the
 * wire container (round trip and every malformed case, checked without SEAL), the session's
 * packing/decryption shape checks, and the metrics (argmax, accuracy, confusion matrix)
 * against hand-computed values.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  BuyerSession,
  bytesSource,
  decodeResult,
  decodeUpload,
  encodeResult,
  encodeUpload,
  readUploadLayout,
  type HeUpload,
  isHeError,
  type HeErrorCode,
  accuracy,
  argmax,
  confusionMatrix,
  WIDE_PRIME_BITS,
  chooseParameters,
  MAX_BITS_128,
  MIN_FUSED_WEIGHT_BITS,
  summarizePlan,
  loadSeal,
} from "@modelbazaar/sdk/he";
import { logisticPlan } from "./planFixtures.ts";

const code = (expected: HeErrorCode) => (error: unknown) => isHeError(error) && error.code === expected;

/** The code and message of the HeError `work` throws (to compare two parsers' refusals). */
function heFailure(work: () => unknown): { code: HeErrorCode; message: string } {
  try {
    work();
  } catch (error) {
    if (isHeError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  assert.fail("expected an HeError");
}

const upload: HeUpload = {
  fingerprint: new Uint8Array(32).fill(7),
  parameters: { polyModulusDegree: 8, coeffModulusBits: [50, 30, 30], scaleBits: 30, maskScaleBits: 20 },
  relinKeys: Uint8Array.of(1, 2, 3),
  samples: 5,
  features: 2,
  slots: 4,
  batches: [
    [Uint8Array.of(1), Uint8Array.of(2, 2)],
    [Uint8Array.of(3, 3, 3), new Uint8Array(0)],
  ],
};

describe("HE client", () => {
  it("chooses the smallest ring and a chain within SEAL's 128-bit budget", async () => {
    const seal = await loadSeal();
    for (const depth of [1, 2, 3, 5, 8]) {
      const parameters = chooseParameters({ inputSize: 4, outputSize: 2, depth, maxMagnitude: 40 });
      const bits = parameters.coeffModulusBits;
      assert.equal(bits.length, depth + 2, "q0, one prime per level, the special prime");
      assert.equal(MAX_BITS_128[parameters.polyModulusDegree], seal.CoeffModulus.MaxBitCount(parameters.polyModulusDegree, seal.SecLevelType.tc128));
      assert.ok(bits.reduce((a, b) => a + b, 0) <= MAX_BITS_128[parameters.polyModulusDegree]!);
      assert.ok(bits[0]! >= parameters.scaleBits + 8 + parameters.maskScaleBits, "q0 holds the scores, their magnitude and the mask");
      const smaller = parameters.polyModulusDegree / 2;
      if (smaller >= 4096) assert.ok(depth * 25 + 2 * (25 + 8 + 18) > MAX_BITS_128[smaller]!, "a smaller ring would have fit");
    }
    assert.throws(() => chooseParameters({ inputSize: 1, outputSize: 1, depth: 40, maxMagnitude: 1 }), code("no-parameters"));
    assert.throws(() => chooseParameters({ inputSize: 1, outputSize: 1, depth: 0, maxMagnitude: 1 }), code("invalid-argument"));
  });

  it("builds wide (fused) primes into the chain in reverse order of use, and checks the rescales against the depth", () => {
    const summary = { inputSize: 784, outputSize: 10, depth: 5, maxMagnitude: 400 };
    const fused = chooseParameters({ ...summary, rescales: ["wide", "wide", "narrow"] });
    assert.deepEqual(fused.coeffModulusBits.slice(1, -1), [fused.scaleBits, WIDE_PRIME_BITS, WIDE_PRIME_BITS]);
    assert.ok(fused.scaleBits <= WIDE_PRIME_BITS - 2 * MIN_FUSED_WEIGHT_BITS, "fused weights keep enough bits");
    assert.equal(fused.coeffModulusBits.at(-1), WIDE_PRIME_BITS, "the special prime is as large as the widest data prime");
    const narrow = chooseParameters(summary);
    assert.equal(narrow.coeffModulusBits.length, 7, "without rescales: one narrow prime per level");
    assert.ok(fused.coeffModulusBits.length < narrow.coeffModulusBits.length);
    assert.throws(() => chooseParameters({ ...summary, rescales: ["wide", "narrow"] }), code("invalid-argument"));
  });

  it("round-trips uploads and results", () => {
    const back = decodeUpload(encodeUpload(upload));
    assert.deepEqual({ ...back, batches: back.batches.map((b) => b.map((c) => [...c])) }, { ...upload, relinKeys: back.relinKeys, batches: upload.batches.map((b) => b.map((c) => [...c])) });
    assert.deepEqual([...back.relinKeys], [1, 2, 3]);
    const result = { fingerprint: upload.fingerprint, samples: 3, outputs: 1, slots: 4, firstBatch: 2, batches: [[Uint8Array.of(9)]] };
    const decoded = decodeResult(encodeResult(result));
    assert.equal(decoded.firstBatch, 2);
    assert.equal(decoded.samples, 3);
    assert.deepEqual([...decoded.batches[0]![0]!], [9]);
  });

  it("reads an upload's layout without its parts, with the same fields as the full decoder", () => {
    const bytes = encodeUpload(upload);
    const { relinKeys, batches, ...fields } = decodeUpload(bytes);
    assert.equal(batches[1]![0]!.buffer, bytes.buffer, "the full decoder's parts are views into the container");
    assert.deepEqual(readUploadLayout(bytesSource(bytes)), { ...fields, relinKeysBytes: relinKeys.length, batchCount: batches.length });
    assert.deepEqual([relinKeys.length, batches.length], [3, 2]);
  });

  it("refuses malformed containers with specific errors, in the full decoder and the layout reader alike", () => {
    const bytes = encodeUpload(upload);
    const patched = (offset: number, value: number) => {
      const copy = bytes.slice();
      copy[offset] = value;
      return copy;
    };
    // A batch count that the sample and slot counts do not imply is refused before allocating.
    const huge = bytes.slice();
    const batchesOffset = 40 + 4 + 3 + 3 + 4 + 3 + 12;
    new DataView(huge.buffer).setUint32(batchesOffset, 0xffffffff, true);
    const malformed: [string, Uint8Array, HeErrorCode][] = [
      ["bad magic", patched(1, 0), "bad-magic"],
      ["bad version", patched(4, 2), "bad-version"],
      ["a result is not an upload", patched(6, 2), "bad-magic"],
      ...[0, 10, 41, 50, bytes.length - 1].map((cut): [string, Uint8Array, HeErrorCode] => [`cut at ${cut}`, bytes.subarray(0, cut), "truncated"]),
      ["trailing bytes", Uint8Array.from([...bytes, 0]), "count-mismatch"],
      ["slots must be N/2", patched(40, 16), "count-mismatch"],
      ["absurd batch count", huge, "count-mismatch"],
    ];
    for (const [name, container, expected] of malformed) {
      const full = heFailure(() => decodeUpload(container));
      assert.equal(full.code, expected, `${name}: ${full.message}`);
      assert.deepEqual(heFailure(() => readUploadLayout(bytesSource(container))), full, name);
    }
    assert.throws(() => decodeResult(bytes), code("bad-magic"));
    assert.throws(() => encodeUpload({ ...upload, samples: 9 }), code("count-mismatch"));
    assert.throws(() => encodeUpload({ ...upload, batches: [upload.batches[0]!, [Uint8Array.of(1)]] }), code("count-mismatch"));
  });

  it("checks the test set's shape and values, and the result's parameters", async () => {
    const plan = logisticPlan(1, 3, 2);
    const session = await BuyerSession.create(summarizePlan(plan));
    assert.throws(() => session.encryptTestSet(new Float64Array(5), 2), code("invalid-argument"));
    assert.throws(() => session.encryptTestSet(Float64Array.of(1, 2, NaN), 1), code("invalid-argument"));
    const foreign = encodeResult({ fingerprint: new Uint8Array(32), samples: 1, outputs: 2, slots: session.he.slots, firstBatch: 0, batches: [[new Uint8Array(1), new Uint8Array(1)]] });
    assert.throws(() => session.decryptResult(foreign), code("parameters-mismatch"));
    const garbage = encodeResult({ fingerprint: session.he.fingerprint, samples: 1, outputs: 2, slots: session.he.slots, firstBatch: 0, batches: [[Uint8Array.of(1, 2, 3), new Uint8Array(1)]] });
    assert.throws(() => session.decryptResult(garbage), code("malformed-object"));
    const upload = decodeUpload(session.encryptTestSet(Float64Array.of(1, 2, 3, 4, 5, 6), 2));
    assert.equal(upload.batches.length, 1);
    assert.equal(upload.batches[0]!.length, 3);
    assert.equal(upload.relinKeys.length, 0, "a linear plan needs no relinearization keys");
    session.delete();
  });

  it("computes argmax, accuracy and the confusion matrix", () => {
    const predictions = argmax(Float64Array.of(0.1, 0.9, 0.8, 0.2, 0.3, 0.7), 2);
    assert.deepEqual([...predictions], [1, 0, 1]);
    assert.equal(accuracy(predictions, [1, 1, 1]), 2 / 3);
    assert.deepEqual(confusionMatrix(predictions, [1, 1, 0], 2), [[0, 1], [1, 1]]);
    assert.throws(() => argmax(new Float64Array(3), 2), code("invalid-argument"));
    assert.throws(() => confusionMatrix([0, 2], [0, 1], 2), code("invalid-argument"));
    assert.throws(() => accuracy([0], [0, 1]), code("invalid-argument"));
  });
});
