/**
 * The SDK's v2 dispute commitments and refund arithmetic (docs/DISPUTES.md §3–§5.1):
 * derivedSalts.ts (σ_i, saltP), dataCommitmentV2.ts (C_D v2), predictionCommitment.ts (C_P),
 * challengeCommitment.ts (secret_b, H_b), gradedRefund.ts (R, the provable shortfall),
 * disputeContextV2.ts (the v2 packing) and refundCircuitInput.ts. Each against fixed vectors and
 * a from-scratch computation; every input changes the output; out-of-bounds inputs are refused
 * with errors naming them. Agreement with circuits/refund.circom is test/circuits/refund.test.ts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { poseidon16 } from "poseidon-lite/poseidon16";
import { poseidon2 } from "poseidon-lite/poseidon2";
import { poseidon3 } from "poseidon-lite/poseidon3";
import { poseidon4 } from "poseidon-lite/poseidon4";
import { encodeAbiParameters, keccak256 } from "viem";
import {
  DOMAIN_DATA_V2,
  DOMAIN_PRED,
  DOMAIN_PSALT,
  DOMAIN_SIGMA,
  SHORTFALL_SHIFT,
  SNARK_SCALAR_FIELD,
  challengeCommitment,
  challengeSecret,
  correctCount,
  dataCommitmentV2,
  dataCommitmentV2Chain,
  gradedRefund,
  maxProvableShortfall,
  packDisputeContext,
  packDisputeContextV2,
  predictionCommitment,
  predictionCommitmentChain,
  predictionSalt,
  provableShortfall,
  refundCircuitInput,
  sampleSalt,
  unpackDisputeContextV2,
  type DisputeContextV2Fields,
  type RefundWitnessSource,
  featuresPath,
  featuresRoot as rootOf,
  verifyFeaturesPath,
  sampleDigest,
} from "@modelbazaar/sdk/testDrives";

const P = SNARK_SCALAR_FIELD;
const ascii = (tag: string): bigint => BigInt(`0x${Buffer.from(tag).toString("hex")}`);

/** A lane chain written out by hand: 16-bit lanes, 15 per word, 15 words per Poseidon(16). */
function referenceChain(h0: bigint, values: readonly number[]): bigint {
  const words: bigint[] = [];
  for (let at = 0; at < values.length; at += 15) {
    words.push(values.slice(at, at + 15).reduce((word, v, j) => word + BigInt(v) * 2n ** BigInt(16 * j), 0n));
  }
  let h = h0;
  for (let at = 0; at < words.length; at += 15) {
    const block = words.slice(at, at + 15);
    while (block.length < 15) block.push(0n);
    h = poseidon16([h, ...block]);
  }
  return h;
}

const salt = 123456789n;
const featuresRoot = 987654321n;
const labels = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5];
const predictions = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 9, 9, 9, 9];
const set = { featuresRoot, labels, salt };

/** Fixed vectors (poseidon-lite 0.3, viem keccak); a change here is a change of the protocol. */
const VECTORS = {
  sigma0: 3422995044514845151563931807469008144419108662007196146253630766285119303011n,
  sigma7: 12896141928492140194048521354008706698393814996483020013800136440057810284230n,
  saltP: 21835114411076000990478496618859399173523704603198549059517461706593272078341n,
  dataCommitmentV2: 17433083485027872677050786041527376617265794778265425638674242214632988088500n,
  predictionCommitment: 1202535930684493480889336051245140079444891049640648958990012602048503576132n,
  secret: "0xb8f923ca925701bf3b0a2c5bb04528db611a809603bdd25362dc938def9701c5",
  hb: "0x6d0df15033e1219debb7b49bb181484596bb55e5b11a025bb6c077cfa54ccec6",
  context: 8516754991939555713694488734049849636691924102777486171600974481958904616n,
} as const;

describe("commitment domains", () => {
  it("are the ASCII tags, big-endian, all distinct", () => {
    assert.equal(DOMAIN_DATA_V2, ascii("ModelBazaar.dataCommitment.v2"));
    assert.equal(DOMAIN_PRED, ascii("ModelBazaar.predictions.v1"));
    assert.equal(DOMAIN_PSALT, ascii("ModelBazaar.predictionSalt.v1"));
    assert.equal(DOMAIN_SIGMA, ascii("ModelBazaar.sampleSalt.v1"));
    const all = [DOMAIN_DATA_V2, DOMAIN_PRED, DOMAIN_PSALT, DOMAIN_SIGMA];
    assert.equal(new Set(all).size, all.length);
    for (const d of all) assert.ok(d < P);
  });
});

describe("derived salts", () => {
  it("σ_i = Poseidon(DOMAIN_SIGMA, salt, i) and saltP = Poseidon(DOMAIN_PSALT, salt), fixed vectors", () => {
    assert.equal(sampleSalt(salt, 0), VECTORS.sigma0);
    assert.equal(sampleSalt(salt, 7), VECTORS.sigma7);
    assert.equal(sampleSalt(salt, 7), poseidon3([DOMAIN_SIGMA, salt, 7n]));
    assert.equal(predictionSalt(salt), VECTORS.saltP);
    assert.equal(predictionSalt(salt), poseidon2([DOMAIN_PSALT, salt]));
  });

  it("every input changes them, and no σ_i equals saltP", () => {
    const sigmas = new Set(Array.from({ length: 64 }, (_, i) => sampleSalt(salt, i)));
    assert.equal(sigmas.size, 64);
    assert.ok(!sigmas.has(predictionSalt(salt)));
    assert.notEqual(sampleSalt(salt + 1n, 0), sampleSalt(salt, 0));
    assert.notEqual(predictionSalt(salt + 1n), predictionSalt(salt));
  });

  it("refuses a salt outside the field and an index outside [0, 2^32)", () => {
    assert.throws(() => sampleSalt(P, 0), /salt must be a BN254 field element/);
    assert.throws(() => sampleSalt(-1n, 0), /salt must be a BN254 field element/);
    assert.throws(() => predictionSalt(P), /salt must be a BN254 field element/);
    assert.throws(() => sampleSalt(salt, -1), /sample index must be an integer in \[0, 4294967296\), got -1/);
    assert.throws(() => sampleSalt(salt, 2 ** 32), /sample index/);
    assert.throws(() => sampleSalt(salt, 1.5), /sample index/);
    assert.equal(sampleSalt(salt, 2 ** 32 - 1), poseidon3([DOMAIN_SIGMA, salt, 2n ** 32n - 1n]));
  });
});

describe("dataCommitmentV2 (C_D v2)", () => {
  it("is chain(Poseidon(DOMAIN_DATA_V2, D, n, salt), labels 15 per word), fixed vector", () => {
    assert.equal(dataCommitmentV2(set), VECTORS.dataCommitmentV2);
    assert.equal(dataCommitmentV2(set), referenceChain(poseidon4([DOMAIN_DATA_V2, featuresRoot, 16n, salt]), labels));
    for (const n of [1, 15, 16, 224, 225, 226, 1024]) {
      const l = Array.from({ length: n }, (_, i) => (i * 7) % 65536);
      assert.equal(dataCommitmentV2({ ...set, labels: l }), referenceChain(poseidon4([DOMAIN_DATA_V2, featuresRoot, BigInt(n), salt]), l));
      assert.equal(dataCommitmentV2Chain({ ...set, labels: l }).length, 1 + Math.ceil(n / 225));
    }
  });

  it("changes with D, the salt, any label and the sample count", () => {
    const base = dataCommitmentV2(set);
    assert.notEqual(dataCommitmentV2({ ...set, featuresRoot: featuresRoot + 1n }), base);
    assert.notEqual(dataCommitmentV2({ ...set, salt: salt + 1n }), base);
    for (let i = 0; i < labels.length; i++) {
      assert.notEqual(dataCommitmentV2({ ...set, labels: labels.map((l, j) => (j === i ? l + 1 : l)) }), base, `label ${i}`);
    }
    // A trailing 0 label packs to the same words; n is what tells them apart.
    assert.notEqual(dataCommitmentV2({ ...set, labels: [...labels, 0] }), base);
  });

  it("refuses labels outside 16 bits, no labels, and D or a salt outside the field", () => {
    assert.throws(() => dataCommitmentV2({ ...set, labels: [] }), /1 to 2\^32 - 1 samples, got 0 labels/);
    assert.throws(() => dataCommitmentV2({ ...set, labels: [65536] }), /labels\[0\] = 65536 is not in \[0, 65536\)/);
    assert.throws(() => dataCommitmentV2({ ...set, labels: [1, -1] }), /labels\[1\] = -1/);
    assert.throws(() => dataCommitmentV2({ ...set, featuresRoot: P }), /featuresRoot must be a BN254 field element/);
    assert.throws(() => dataCommitmentV2({ ...set, salt: P }), /salt must be a BN254 field element/);
  });
});

describe("predictionCommitment (C_P)", () => {
  const cd = VECTORS.dataCommitmentV2;
  const committed = { dataCommitment: cd, predictions, salt };

  it("is chain(Poseidon(DOMAIN_PRED, C_D, n, saltP), predictions 15 per word), fixed vector", () => {
    assert.equal(predictionCommitment(committed), VECTORS.predictionCommitment);
    const saltP = poseidon2([DOMAIN_PSALT, salt]);
    assert.equal(predictionCommitment(committed), referenceChain(poseidon4([DOMAIN_PRED, cd, 16n, saltP]), predictions));
    for (const n of [1, 15, 16, 225, 226, 1024]) {
      const p = Array.from({ length: n }, (_, i) => (i * 31) % 65536);
      assert.equal(
        predictionCommitment({ ...committed, predictions: p }),
        referenceChain(poseidon4([DOMAIN_PRED, cd, BigInt(n), saltP]), p),
      );
      assert.equal(predictionCommitmentChain({ ...committed, predictions: p }).length, 1 + Math.ceil(n / 225));
    }
  });

  it("changes with C_D, the salt, any prediction and the sample count", () => {
    const base = predictionCommitment(committed);
    assert.notEqual(predictionCommitment({ ...committed, dataCommitment: cd + 1n }), base);
    assert.notEqual(predictionCommitment({ ...committed, salt: salt + 1n }), base);
    for (let i = 0; i < predictions.length; i++) {
      const p = predictions.map((v, j) => (j === i ? (v + 1) % 10 : v));
      assert.notEqual(predictionCommitment({ ...committed, predictions: p }), base, `prediction ${i}`);
    }
    assert.notEqual(predictionCommitment({ ...committed, predictions: [...predictions, 0] }), base);
    // The same values as labels under C_D's domain give another commitment.
    assert.notEqual(dataCommitmentV2({ featuresRoot: cd, labels: predictions, salt }), base);
  });

  it("refuses predictions outside 16 bits, none, and C_D or a salt outside the field", () => {
    assert.throws(() => predictionCommitment({ ...committed, predictions: [] }), /1 to 2\^32 - 1 samples, got 0 predictions/);
    assert.throws(
      () => predictionCommitment({ ...committed, predictions: [0, 65536] }),
      /predictions\[1\] = 65536 is not a class index in \[0, 2\^16\)/,
    );
    assert.throws(() => predictionCommitment({ ...committed, predictions: [0.5] }), /predictions\[0\] = 0.5/);
    assert.throws(() => predictionCommitment({ ...committed, dataCommitment: P }), /dataCommitment must be a BN254 field element/);
    assert.throws(() => predictionCommitment({ ...committed, salt: -1n }), /salt must be a BN254 field element/);
  });
});

describe("challenge commitment (secret_b, H_b)", () => {
  it("secret_b = keccak256(abi.encode(tag, salt, testId)), H_b = keccak256(secret_b), fixed vectors", () => {
    const secret = challengeSecret(salt, 42n);
    assert.equal(secret, VECTORS.secret);
    assert.equal(
      secret,
      keccak256(encodeAbiParameters([{ type: "string" }, { type: "uint256" }, { type: "uint256" }], ["ModelBazaar.challenge", salt, 42n])),
    );
    assert.equal(challengeCommitment(secret), VECTORS.hb);
  });

  it("changes with the salt and the test id", () => {
    const secrets = new Set([challengeSecret(salt, 42n), challengeSecret(salt + 1n, 42n), challengeSecret(salt, 43n), challengeSecret(salt, 0n)]);
    assert.equal(secrets.size, 4);
    assert.notEqual(challengeCommitment(challengeSecret(salt, 43n)), VECTORS.hb);
  });

  it("refuses a salt outside the field, a test id outside uint256, and a secret that is not 32 bytes", () => {
    assert.throws(() => challengeSecret(P, 1n), /salt must be a BN254 field element/);
    assert.throws(() => challengeSecret(salt, -1n), /testId must be a uint256/);
    assert.throws(() => challengeSecret(salt, 1n << 256n), /testId must be a uint256/);
    assert.throws(() => challengeCommitment("0x1234"), /32 bytes of hex/);
  });
});

describe("graded refund", () => {
  it("R = floor(D·min(s, w)/w)", () => {
    const D = 10n ** 18n;
    assert.equal(gradedRefund(D, 100, 1000), D / 10n);
    assert.equal(gradedRefund(D, 1000, 1000), D);
    assert.equal(gradedRefund(D, 5000, 1000), D); // capped at the deposit
    assert.equal(gradedRefund(D, 0, 1000), 0n);
    assert.equal(gradedRefund(D, 1, 1), D); // w = 1: all or nothing
    assert.equal(gradedRefund(10n, 1, 3), 3n); // rounds down
    assert.equal(gradedRefund(10n, 2, 3), 6n);
    assert.equal(gradedRefund(0n, 100, 1000), 0n);
  });

  it("refuses a deposit outside uint256, a shortfall outside 16 bits, a slope outside [1, 10,000]", () => {
    assert.throws(() => gradedRefund(-1n, 1, 1), /deposit must be a uint256/);
    assert.throws(() => gradedRefund(1n << 256n, 1, 1), /deposit must be a uint256/);
    assert.throws(() => gradedRefund(1n, 65536, 1), /shortfallBps must be an integer in \[0, 65536\), got 65536/);
    assert.throws(() => gradedRefund(1n, -1, 1), /shortfallBps/);
    assert.throws(() => gradedRefund(1n, 1, 0), /refundSlopeBps must be an integer in \[1, 10001\), got 0/);
    assert.throws(() => gradedRefund(1n, 1, 10001), /refundSlopeBps/);
  });

  it("the provable shortfall is the largest s with 10,000·correct < (claim − s)·n, by enumeration", () => {
    for (const n of [1, 2, 3, 7, 100, 200, 999]) {
      for (const claim of [1, 50, 5000, 9000, 9999, 10000]) {
        for (const correct of new Set([0, 1, Math.floor(n / 2), n - 1, n].filter((c) => c >= 0 && c <= n))) {
          let best = 0;
          for (let s = 1; s <= claim; s++) if (10000 * correct < (claim - s) * n) best = s;
          assert.equal(provableShortfall(correct, n, claim), best, `correct ${correct} of ${n}, claim ${claim}`);
        }
      }
    }
    assert.equal(provableShortfall(179, 200, 9000), 49); // 89.5%: s = 49 leaves 89.51% > 89.5%
    assert.equal(provableShortfall(180, 200, 9000), 0); // exactly at the claim
    assert.equal(provableShortfall(0, 1, 10000), 9999);
    assert.equal(provableShortfall(2 ** 32 - 2, 2 ** 32 - 1, 10000), 0);
  });

  it("refuses counts and claims out of bounds", () => {
    assert.throws(() => provableShortfall(0, 0, 9000), /sampleCount must be an integer in \[1, 4294967296\), got 0/);
    assert.throws(() => provableShortfall(3, 2, 9000), /correct must be an integer in \[0, 3\), got 3/);
    assert.throws(() => provableShortfall(-1, 2, 9000), /correct/);
    assert.throws(() => provableShortfall(0, 2, 0), /claimedAccuracyBps must be an integer in \[1, 10001\), got 0/);
    assert.throws(() => provableShortfall(0, 2, 10001), /claimedAccuracyBps/);
  });
});

describe("dispute context v2", () => {
  const fields: DisputeContextV2Fields = {
    claimedAccuracyBps: 9000,
    sampleCount: 200,
    classCount: 10,
    featureBits: 8,
    featureCount: 784,
    shortfallBps: 1234,
  };

  it("is today's packing plus the shortfall in bits 232..247, fixed vector, and unpacks", () => {
    const packed = packDisputeContextV2(fields, 0xabcdefn);
    assert.equal(packed, VECTORS.context);
    assert.equal(SHORTFALL_SHIFT, 232);
    assert.equal(packed, packDisputeContext(fields, 0xabcdefn) + (1234n << 232n));
    assert.deepEqual(unpackDisputeContextV2(packed), { ...fields, tag: 0xabcdefn });
    const max = { claimedAccuracyBps: 0xffff, sampleCount: 2 ** 32 - 1, classCount: 0xffff, featureBits: 0xff, featureCount: 2 ** 32 - 1, shortfallBps: 0xffff };
    const top = packDisputeContextV2(max, (1n << 128n) - 1n);
    assert.equal(top, (1n << 248n) - 1n);
    assert.deepEqual(unpackDisputeContextV2(top), { ...max, tag: (1n << 128n) - 1n });
  });

  it("every field and the tag change it", () => {
    const base = packDisputeContextV2(fields, 5n);
    const seen = new Set([base]);
    for (const name of Object.keys(fields) as (keyof DisputeContextV2Fields)[]) {
      seen.add(packDisputeContextV2({ ...fields, [name]: fields[name] + 1 }, 5n));
    }
    seen.add(packDisputeContextV2(fields, 6n));
    assert.equal(seen.size, 8);
  });

  it("refuses fields that do not fit their widths, and contexts wider than 248 bits", () => {
    assert.throws(() => packDisputeContextV2({ ...fields, shortfallBps: 65536 }, 0n), /shortfallBps = 65536 does not fit in 16 bits/);
    assert.throws(() => packDisputeContextV2({ ...fields, shortfallBps: -1 }, 0n), /shortfallBps = -1/);
    assert.throws(() => packDisputeContextV2({ ...fields, classCount: 65536 }, 0n), /classCount = 65536 does not fit in 16 bits/);
    assert.throws(() => packDisputeContextV2(fields, 1n << 128n), /binding tag must fit in 128 bits/);
    assert.throws(() => unpackDisputeContextV2(1n << 248n), /fits in 248 bits/);
  });
});

describe("a whole v2 test set: σ_i -> d_i -> D -> C_D -> C_P", () => {
  const shape = { featureCount: 4, featureBits: 12 };
  const features = Array.from({ length: 16 }, (_, i) => [i, 2 * i + 1, 4095 - i, (i * 97) % 4096]);
  const commit = (x: readonly (readonly number[])[], s = salt): { digests: bigint[]; root: bigint; cd: bigint } => {
    const digests = x.map((row, i) => sampleDigest(i, row, sampleSalt(s, i), shape));
    const root = rootOf(digests);
    return { digests, root, cd: dataCommitmentV2({ featuresRoot: root, labels, salt: s }) };
  };

  it("one changed feature changes D, C_D and C_P; one sample's opening verifies against D", () => {
    const base = commit(features);
    const cp = predictionCommitment({ dataCommitment: base.cd, predictions, salt });
    const changed = commit(features.map((row, i) => (i === 9 ? row.map((v, f) => (f === 2 ? v - 1 : v)) : row)));
    assert.notEqual(changed.root, base.root);
    assert.notEqual(changed.cd, base.cd);
    assert.notEqual(predictionCommitment({ dataCommitment: changed.cd, predictions, salt }), cp);
    // Opening sample 9 publishes x_9, σ_9 and its path: d_9 recomputes and reaches D.
    const d9 = sampleDigest(9, features[9]!, sampleSalt(salt, 9), shape);
    assert.ok(verifyFeaturesPath(base.root, d9, 9, featuresPath(base.digests, 9)));
    assert.ok(!verifyFeaturesPath(base.root, sampleDigest(9, features[9]!, sampleSalt(salt, 8), shape), 9, featuresPath(base.digests, 9)));
    // Another master salt changes every σ_i, hence D.
    assert.notEqual(commit(features, salt + 1n).root, base.root);
  });
});

describe("refundCircuitInput", () => {
  const fields: DisputeContextV2Fields = {
    claimedAccuracyBps: 9000,
    sampleCount: 16,
    classCount: 10,
    featureBits: 8,
    featureCount: 784,
    shortfallBps: 1,
  };
  const source: RefundWitnessSource = { featuresRoot, labels, predictions, salt, fields, tag: 77n };

  it("carries the SDK's commitments and context, zero-padded to N", () => {
    const input = refundCircuitInput(source, 32);
    assert.equal(input.context, packDisputeContextV2(fields, 77n).toString());
    assert.equal(input.dataCommitment, VECTORS.dataCommitmentV2.toString());
    assert.equal(input.predictionCommitment, VECTORS.predictionCommitment.toString());
    assert.equal(input.labels.length, 32);
    assert.deepEqual(input.predictions.slice(16), Array(16).fill("0"));
    assert.equal(input.featuresRoot, featuresRoot.toString());
    // 10 of 16 right = 62.5% against 90%: up to 2749 bps provable.
    assert.equal(correctCount(labels, predictions), 10);
    assert.equal(maxProvableShortfall(source), 2749);
  });

  it("refuses what cannot fit the circuit", () => {
    assert.throws(() => refundCircuitInput(source, 15), /16 samples do not fit a refund circuit of 15/);
    assert.throws(() => refundCircuitInput({ ...source, fields: { ...fields, sampleCount: 15 } }, 32), /sampleCount 15 != 16 labels/);
    assert.throws(() => refundCircuitInput({ ...source, predictions: predictions.slice(1) }, 32), /15 predictions for 16 labels/);
    assert.throws(() => refundCircuitInput({ ...source, fields: { ...fields, classCount: 1 } }, 32), /classCount must be an integer in \[2, 65536\), got 1/);
    assert.throws(() => refundCircuitInput({ ...source, labels: labels.map((l) => (l === 9 ? 10 : l)) }, 32), /labels\[9\] must be an integer in \[0, 10\), got 10/);
    assert.throws(() => refundCircuitInput({ ...source, predictions: predictions.map((p, i) => (i === 3 ? 65536 : p)) }, 32), /predictions\[3\] = 65536/);
    assert.throws(() => refundCircuitInput({ ...source, fields: { ...fields, shortfallBps: 70000 } }, 32), /shortfallBps = 70000/);
  });
});
