/**
 * The fingerprint primitives (@modelbazaar/sdk/protection): keyed streams are reproducible from
 * the secret and differ per buyer and per secret; the white-box z-score is about sqrt(n) for the
 * buyer's own mark, near 0 for another buyer's, and 0 for the base itself; the normal tail
 * matches known values; accusations take the Bonferroni threshold; a ledger round-trips and a
 * malformed one is refused with a sentence.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  accusedBuyers,
  buyerTriggerSet,
  fingerprintSigns,
  normalUpperTail,
  parseFingerprintLedger,
  serializeFingerprintLedger,
  watermarkDigest,
  whiteBoxScore,
  type FingerprintLedger,
} from "@modelbazaar/sdk/protection";

const A = "0x1111111111111111111111111111111111111111";
const B = "0x2222222222222222222222222222222222222222";
const LEDGER: FingerprintLedger = { secret: `0x${"ab".repeat(32)}`, strength: 0.05, triggers: 20, featureCount: 6, classCount: 4, featureLow: 0, featureHigh: 1, buyers: [A, B] };

describe("fingerprint primitives", () => {
  it("draws each buyer's marks from the secret alone: reproducible, and different per buyer and per secret", () => {
    assert.deepEqual(fingerprintSigns(LEDGER.secret, A, 100), fingerprintSigns(LEDGER.secret, A, 100));
    assert.notDeepEqual(fingerprintSigns(LEDGER.secret, A, 100), fingerprintSigns(LEDGER.secret, B, 100));
    assert.notDeepEqual(fingerprintSigns(LEDGER.secret, A, 100), fingerprintSigns(`0x${"ac".repeat(32)}`, A, 100));
    assert.equal(watermarkDigest(buyerTriggerSet(LEDGER, A)), watermarkDigest(buyerTriggerSet(LEDGER, A)));
    assert.notEqual(watermarkDigest(buyerTriggerSet(LEDGER, A)), watermarkDigest(buyerTriggerSet(LEDGER, B)));
    const set = buyerTriggerSet(LEDGER, A);
    assert.equal(set.inputs.length, 20 * 6);
    assert.ok(set.inputs.every((x) => x >= 0 && x <= 1));
    assert.ok(set.labels.every((l) => l < 4));
  });

  it("scores the buyer's own white-box mark near sqrt(n), another buyer's near 0, the base 0", () => {
    const n = 4_096;
    const base = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
    const signsA = fingerprintSigns(LEDGER.secret, A, n);
    const copyA = base.map((w, i) => w + 0.01 * signsA[i]!);
    assert.ok(Math.abs(whiteBoxScore(copyA, base, signsA) - Math.sqrt(n)) < 1e-6);
    assert.ok(Math.abs(whiteBoxScore(copyA, base, fingerprintSigns(LEDGER.secret, B, n))) < 4);
    assert.equal(whiteBoxScore(base, base, signsA), 0);
    assert.throws(() => whiteBoxScore(copyA.subarray(1), base, signsA), RangeError);
  });

  it("computes the normal tail and accuses only below significance / buyers", () => {
    assert.ok(Math.abs(normalUpperTail(0) - 0.5) < 1e-7);
    assert.ok(Math.abs(normalUpperTail(1.959964) - 0.025) < 1e-7);
    assert.ok(Math.abs(normalUpperTail(-1.959964) - 0.975) < 1e-7);
    assert.ok(Math.abs(normalUpperTail(5) / 2.8665e-7 - 1) < 1e-3);
    const scores = [{ buyer: A, pValue: 4e-4 }, { buyer: B, pValue: 6e-4 }] as const;
    assert.deepEqual(accusedBuyers(scores, 1e-3), [{ buyer: A, pValue: 4e-4 }]);
    assert.deepEqual(accusedBuyers([scores[1]], 1e-3), [{ buyer: B, pValue: 6e-4 }]);
  });

  it("round-trips the ledger and refuses a malformed one with a sentence", () => {
    assert.deepEqual(parseFingerprintLedger(serializeFingerprintLedger(LEDGER), "l.json"), LEDGER);
    const file = JSON.parse(serializeFingerprintLedger(LEDGER)) as Record<string, unknown>;
    assert.throws(() => parseFingerprintLedger(JSON.stringify({ ...file, buyers: ["0x12"] }), "l.json"), /l\.json: "buyers"\[0\] is not an address/);
    assert.throws(() => parseFingerprintLedger(JSON.stringify({ ...file, featureHigh: 0 }), "l.json"), /"featureLow" and "featureHigh" must be finite float32 numbers, the first below the second/);
    assert.throws(() => parseFingerprintLedger(JSON.stringify({ ...file, kind: "x" }), "l.json"), /l\.json is not a fingerprint ledger/);
  });
});
