/**
 * The fingerprint ledger's parser against hostile files (fast-check): whatever a field holds and
 * whatever the text is, it either returns a ledger within FINGERPRINT_LEDGER_LIMITS (one a
 * trace can draw and run in bounded memory and time) or throws a FingerprintLedgerError naming
 * the file, never another error.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { FINGERPRINT_LEDGER_LIMITS, FingerprintLedgerError, parseFingerprintLedger, serializeFingerprintLedger, type FingerprintLedger } from "@modelbazaar/sdk/protection";

const LIMITS = FINGERPRINT_LEDGER_LIMITS;
const VALID: FingerprintLedger = {
  secret: `0x${"ab".repeat(32)}`,
  strength: 0.05,
  triggers: 50,
  featureCount: 784,
  classCount: 10,
  featureLow: 0,
  featureHigh: 1,
  buyers: ["0x1111111111111111111111111111111111111111", "0x2222222222222222222222222222222222222222"],
};
const FIELDS = ["secret", "strength", "triggers", "featureCount", "classCount", "featureLow", "featureHigh", "buyers"] as const;

function assertWithinLimits(ledger: FingerprintLedger): void {
  const whole = (n: number, low: number, high: number) => Number.isSafeInteger(n) && n >= low && n <= high;
  assert.ok(/^0x[0-9a-fA-F]{64}$/.test(ledger.secret), "secret");
  assert.ok(ledger.strength > 0 && ledger.strength <= 1, "strength");
  assert.ok(whole(ledger.triggers, 1, LIMITS.maxTriggers), "triggers");
  assert.ok(whole(ledger.featureCount, 1, LIMITS.maxFeatureCount), "featureCount");
  assert.ok(whole(ledger.classCount, 2, LIMITS.maxClassCount), "classCount");
  assert.ok(Number.isFinite(Math.fround(ledger.featureLow)) && Number.isFinite(Math.fround(ledger.featureHigh)) && ledger.featureLow < ledger.featureHigh, "bounds");
  assert.ok(whole(ledger.buyers.length, 1, LIMITS.maxBuyers), "buyer count");
  assert.equal(new Set(ledger.buyers.map((b) => b.toLowerCase())).size, ledger.buyers.length, "distinct buyers");
  assert.ok(ledger.buyers.length * ledger.triggers * ledger.featureCount <= LIMITS.maxTraceDraws, "trigger values");
}

/** Parses `text`; a refusal must be a FingerprintLedgerError naming the file. */
function parsedOrRefused(text: string): void {
  let ledger: FingerprintLedger;
  try {
    ledger = parseFingerprintLedger(text, "hostile.json");
  } catch (error) {
    assert.ok(error instanceof FingerprintLedgerError, `not a FingerprintLedgerError: ${String(error)}`);
    assert.match(error.message, /^hostile\.json/);
    return;
  }
  assertWithinLimits(ledger);
}

const hostileNumber = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(0, -1, 1e9, 1e12, 2 ** 53, 3.5e38, -1e300, 255, 256, 257, 1_000, 1_001, 1_048_577));
const hostileValue = fc.oneof(hostileNumber, fc.jsonValue(), fc.array(fc.stringMatching(/^0x[0-9a-fA-F]{40}$/), { maxLength: 5 }));

describe("fingerprint ledger: hostile files", () => {
  it("takes only ledgers within the limits, whatever each field holds", () => {
    fc.assert(
      fc.property(fc.subarray([...FIELDS], { minLength: 1 }), fc.array(hostileValue, { minLength: FIELDS.length, maxLength: FIELDS.length }), (fields, values) => {
        const file = JSON.parse(serializeFingerprintLedger(VALID)) as Record<string, unknown>;
        fields.forEach((field, i) => (file[field] = values[i]));
        parsedOrRefused(JSON.stringify(file));
      }),
      { numRuns: 2_000 },
    );
  });

  it("takes only ledgers within the limits, whatever the text", () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json(), fc.string().map((tail) => serializeFingerprintLedger(VALID).slice(0, tail.length * 7))), parsedOrRefused), { numRuns: 2_000 });
  });

  it("refuses the largest honest dimensions only past their limits", () => {
    const buyers = Array.from({ length: LIMITS.maxBuyers }, (_, i) => `0x${(i + 1).toString(16).padStart(40, "0")}` as const);
    const atLimit = { ...VALID, buyers, triggers: 16, featureCount: 1_048 };
    assert.equal(parseFingerprintLedger(serializeFingerprintLedger(atLimit), "l.json").buyers.length, LIMITS.maxBuyers);
    assert.throws(() => parseFingerprintLedger(serializeFingerprintLedger({ ...atLimit, featureCount: 1_049 }), "l.json"), /more than a trace draws/);
    assert.ok(serializeFingerprintLedger(atLimit).length < LIMITS.maxBytes, "the most buyers fit the byte limit");
  });
});
