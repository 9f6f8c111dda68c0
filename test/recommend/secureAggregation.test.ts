/**
 * Secure aggregation's arithmetic (sdk/src/recommend/fixedPoint.ts, pairwiseMasks.ts), with real
 * x25519 keys and ChaCha20 masks: the masks of a full roster cancel exactly in the ring sum, and
 * the decoded sum is the float sum within the fixed-point bound; one masked upload alone looks
 * uniform whatever it hides (all zeros or large values), and a sum missing one member's upload is
 * nowhere near the others' true sum. The fixed-point encoding clamps, never wraps at
 * MAX_SECURE_PARTICIPANTS contributions at the clamp bound (property tests, fast-check), and
 * refuses non-finite values. The wire's parsers refuse malformed bodies with a sentence.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  addInRing,
  decodeFixedPointSum,
  encodeFixedPoint,
  FIXED_POINT_CLAMP,
  FIXED_POINT_FRACTION_BITS,
  maskContribution,
  maskedUploadBody,
  MAX_SECURE_PARTICIPANTS,
  pairSeed,
  parseEnrolmentBody,
  parseMaskedUploadBody,
  parseRosterBody,
  rosterBody,
  secureRoundKeyPair,
  seededRandom,
  normalDraw,
  type RosterMember,
} from "@modelbazaar/sdk/recommend";
import { x25519 } from "@noble/curves/ed25519";

const RESOLUTION = 2 ** -FIXED_POINT_FRACTION_BITS;
const LENGTH = 4096;
const ROUND = 7;

/** `count` clients with fresh real key pairs and ids that sort in their order. */
function clients(count: number) {
  return Array.from({ length: count }, (_, k) => ({ clientId: `client-${String(k).padStart(4, "0")}`, ...secureRoundKeyPair() }));
}

const rosterOf = (members: ReturnType<typeof clients>): RosterMember[] => members.map(({ clientId, publicKey }) => ({ clientId, publicKey }));

function ringSum(vectors: readonly Uint32Array[]): Uint32Array {
  const total = new Uint32Array(vectors[0]!.length);
  for (const vector of vectors) addInRing(total, vector);
  return total;
}

function contribution(seed: number, scale: number): Float64Array {
  const random = seededRandom(seed);
  return Float64Array.from({ length: LENGTH }, () => scale * normalDraw(random));
}

/** χ² of the upload's byte frequencies against uniform (255 degrees of freedom: mean 255, sd 22.6). */
function byteChiSquare(values: Uint32Array): number {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const counts = new Array<number>(256).fill(0);
  for (const byte of bytes) counts[byte]!++;
  const expected = bytes.length / 256;
  return counts.reduce((chi, count) => chi + (count - expected) ** 2 / expected, 0);
}

/** The largest deviation, in standard deviations, of any bit position's count of ones from half. */
function worstBitDeviation(values: Uint32Array): number {
  let worst = 0;
  for (let bit = 0; bit < 32; bit++) {
    let ones = 0;
    for (const value of values) ones += (value >>> bit) & 1;
    worst = Math.max(worst, Math.abs(ones - values.length / 2) / Math.sqrt(values.length / 4));
  }
  return worst;
}

/** Within 6 standard deviations of uniform (a false alarm about once in 10⁹ runs). */
function looksUniform(values: Uint32Array): boolean {
  return byteChiSquare(values) < 255 + 6 * 22.6 && worstBitDeviation(values) < 6;
}

describe("pairwise masks", () => {
  it("cancel exactly: 5 clients' masked uploads sum in the ring to their encodings' sum, decoded within 2^-15 per participant", () => {
    const members = clients(5);
    const roster = rosterOf(members);
    const floats = members.map((_, k) => contribution(k + 1, 3));
    const encoded = floats.map(encodeFixedPoint);
    const masked = members.map((member, k) => maskContribution(encoded[k]!, member, roster, ROUND));
    masked.forEach((upload, k) => assert.notDeepEqual(upload, encoded[k], "an upload is masked"));
    assert.deepEqual(ringSum(masked), ringSum(encoded));
    const decoded = decodeFixedPointSum(ringSum(masked));
    for (let i = 0; i < LENGTH; i++) {
      const truth = floats.reduce((sum, values) => sum + values[i]!, 0);
      assert.ok(Math.abs(decoded[i]! - truth) <= members.length * RESOLUTION, `value ${i}: ${decoded[i]} against ${truth}`);
    }
  });

  it("derive one seed per pair and round, whichever member computes it", () => {
    const [u, v] = clients(2) as [ReturnType<typeof clients>[number], ReturnType<typeof clients>[number]];
    const fromU = pairSeed(ROUND, u.clientId, v.clientId, x25519.getSharedSecret(u.privateKey, v.publicKey));
    const fromV = pairSeed(ROUND, v.clientId, u.clientId, x25519.getSharedSecret(v.privateKey, u.publicKey));
    assert.deepEqual(fromU, fromV);
    assert.notDeepEqual(pairSeed(ROUND + 1, u.clientId, v.clientId, x25519.getSharedSecret(u.privateKey, v.publicKey)), fromU, "the round is in the seed");
  });

  it("make one upload alone look uniform, whether it hides all zeros or large values", () => {
    const members = clients(5);
    const roster = rosterOf(members);
    const zeros = encodeFixedPoint(new Float64Array(LENGTH));
    const large = encodeFixedPoint(new Float64Array(LENGTH).fill(FIXED_POINT_CLAMP * 0.9));
    assert.ok(!looksUniform(zeros) && !looksUniform(large), "the check can fail: plain encodings are far from uniform");
    for (const hidden of [zeros, large]) {
      const upload = maskContribution(hidden, members[2]!, roster, ROUND);
      assert.ok(byteChiSquare(upload) < 255 + 6 * 22.6, `byte χ² ${byteChiSquare(upload)}`);
      assert.ok(worstBitDeviation(upload) < 6, `bit deviation ${worstBitDeviation(upload)} σ`);
    }
  });

  it("leave a sum missing one member's upload nowhere near the others' true sum", () => {
    const members = clients(5);
    const roster = rosterOf(members);
    const encoded = members.map((_, k) => encodeFixedPoint(contribution(k + 10, 1)));
    const masked = members.map((member, k) => maskContribution(encoded[k]!, member, roster, ROUND));
    const withoutLast = decodeFixedPointSum(ringSum(masked.slice(0, 4)));
    const truth = decodeFixedPointSum(ringSum(encoded.slice(0, 4)));
    const meanError = withoutLast.reduce((sum, value, i) => sum + Math.abs(value - truth[i]!), 0) / LENGTH;
    // the missing member's masks are uniform in the ring: |error| averages 2^31 / 2 / 2^15 = 32,768
    assert.ok(meanError > 10_000, `mean error ${meanError}`);
    assert.ok(looksUniform(ringSum(masked.slice(0, 4))), "the partial sum is itself uniform");
  });
});

describe("the fixed-point encoding", () => {
  it("clamps to ±FIXED_POINT_CLAMP and decodes within half its resolution", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 64 }), (values) => {
        const decoded = decodeFixedPointSum(encodeFixedPoint(Float64Array.from(values)));
        values.forEach((value, k) => {
          const clamped = Math.min(FIXED_POINT_CLAMP, Math.max(-FIXED_POINT_CLAMP, value));
          assert.ok(Math.abs(decoded[k]! - clamped) <= RESOLUTION / 2, `${value} → ${decoded[k]}`);
        });
      }),
    );
  });

  it("never wraps: MAX_SECURE_PARTICIPANTS contributions at the clamp bound sum to their float sum", () => {
    for (const bound of [FIXED_POINT_CLAMP, -FIXED_POINT_CLAMP]) {
      const at = encodeFixedPoint(Float64Array.of(bound * 1e3)); // beyond the clamp
      const total = new Uint32Array(1);
      for (let k = 0; k < MAX_SECURE_PARTICIPANTS; k++) addInRing(total, at);
      assert.equal(decodeFixedPointSum(total)[0], bound * MAX_SECURE_PARTICIPANTS);
    }
    fc.assert(
      fc.property(fc.array(fc.constantFrom(FIXED_POINT_CLAMP, -FIXED_POINT_CLAMP, FIXED_POINT_CLAMP - RESOLUTION, 1e9, -1e9), { minLength: MAX_SECURE_PARTICIPANTS, maxLength: MAX_SECURE_PARTICIPANTS }), (values) => {
        const total = new Uint32Array(1);
        for (const value of values) addInRing(total, encodeFixedPoint(Float64Array.of(value)));
        const truth = values.reduce((sum, value) => sum + Math.min(FIXED_POINT_CLAMP, Math.max(-FIXED_POINT_CLAMP, value)), 0);
        assert.equal(decodeFixedPointSum(total)[0], truth);
      }),
      { numRuns: 50 },
    );
  });

  it("refuses a value that is not finite, naming it", () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      assert.throws(() => encodeFixedPoint(Float64Array.of(0, value)), (error: unknown) => error instanceof RangeError && new RegExp(`^value 1 is ${value}, not a finite number`).test(error.message));
    }
  });
});

describe("the secure round's wire", () => {
  const [member] = rosterOf(clients(1));
  it("round-trips a roster and a masked upload", () => {
    assert.deepEqual(parseRosterBody(JSON.parse(JSON.stringify(rosterBody({ round: 3, members: [member!] })))), { round: 3, members: [member] });
    const values = Uint32Array.of(0, 1, 0xffffffff, 0x80000000);
    assert.deepEqual(parseMaskedUploadBody(maskedUploadBody(member!.clientId, values), 4).values, values);
  });

  it("refuses malformed bodies with a sentence", () => {
    const hex = Buffer.from(member!.publicKey).toString("hex");
    const cases: [() => unknown, RegExp][] = [
      [() => parseEnrolmentBody([1]), /^the enrolment must be a JSON object \{ clientId, publicKey \}$/],
      [() => parseEnrolmentBody({ clientId: "short", publicKey: hex }), /clientId must be 8 to 64 characters/],
      [() => parseEnrolmentBody({ clientId: "client-0000", publicKey: hex.slice(2) }), /publicKey must be a 32-byte x25519 key as 64 lowercase hex characters/],
      [() => parseEnrolmentBody({ clientId: "client-0000", publicKey: hex, extra: 1 }), /has fields it must not have: extra/],
      [() => parseRosterBody({ round: -1, members: [] }), /round must be a non-negative integer/],
      [() => parseRosterBody({ round: 1, members: [{ clientId: "client-0000", publicKey: "zz" }] }), /^roster member 0: publicKey must be/],
      [() => parseMaskedUploadBody(maskedUploadBody("client-0000", new Uint32Array(3)), 4), /must hold 4 uint32 values \(16 bytes\), got 12 bytes/],
      [() => parseMaskedUploadBody({ clientId: "client-0000", values: "%%" }, 4), /not valid base64/],
    ];
    for (const [parse, message] of cases) assert.throws(parse, (error: unknown) => error instanceof Error && error.name === "SecureRoundFormatError" && message.test(error.message));
  });
});
