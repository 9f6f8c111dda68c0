/**
 * A contestable listing's dispute policy (sdk/src/disputes/contestablePolicy.ts) and the
 * seller's plan salt derived from its signature (sdk/src/disputes/planSalt.ts): the salt is
 * reproducible from the key alone, differs per model and per key, and is a field element; the
 * default policy commits to the plan with that salt, scales τ to the plan's scores, and its
 * bonds make every lie lose money under the example terms (disputeEconomics.ts).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { keccak256, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { compileOnnx } from "../../offchain-worker/src/he/compiler/index.ts";
import { ROOT } from "../../scripts/zk/compile.ts";
import { EXAMPLE_POLICY } from "../../scripts/lib/exampleListing.ts";
import { SNARK_SCALAR_FIELD } from "@modelbazaar/sdk/testDrives";
import { contestableDisputePolicy, defaultContestToleranceQ, derivePlanSalt, planCommitment, planSaltMessage, worstCaseGain } from "@modelbazaar/sdk/disputes";
import { quantizePlan, scoreScaleBits, type QuantizedPlan } from "@modelbazaar/sdk/he";

const SELLER = privateKeyToAccount(keccak256(toHex("seller key")));
const OTHER = privateKeyToAccount(keccak256(toHex("another key")));
const ROOT_A = keccak256(toHex("model a"));
const ROOT_B = keccak256(toHex("model b"));

describe("contestable dispute policy and plan salt", () => {
  let logreg: QuantizedPlan;
  let mlp: QuantizedPlan;
  before(async () => {
    const load = async (name: string) => quantizePlan((await compileOnnx(readFileSync(join(ROOT, "models", `${name}.onnx`)))).plan, { scaleBits: 8 });
    [logreg, mlp] = await Promise.all([load("iris-logreg"), load("iris-square-mlp")]);
  });

  it("derives the same plan salt from the same key and model, another from another key or model", async () => {
    const salt = await derivePlanSalt(SELLER, ROOT_A);
    assert.equal(await derivePlanSalt(SELLER, ROOT_A), salt, "reproducible from the key alone");
    assert.equal(await derivePlanSalt(SELLER, ROOT_A.toUpperCase().replace("0X", "0x") as `0x${string}`), salt, "the root's case does not matter");
    assert.notEqual(await derivePlanSalt(SELLER, ROOT_B), salt);
    assert.notEqual(await derivePlanSalt(OTHER, ROOT_A), salt);
    assert.ok(salt > 0n && salt < SNARK_SCALAR_FIELD);
    assert.match(planSaltMessage(ROOT_A), /plan salt/);
  });

  it("commits to the plan with the salt and scales τ to 2^-8 (Linear) and 2^-6 (SquareMlp) of a score", async () => {
    const planSalt = await derivePlanSalt(SELLER, ROOT_A);
    const policy = contestableDisputePolicy({ plan: logreg, planSalt, deposit: EXAMPLE_POLICY.deposit });
    assert.equal(BigInt(policy.planCommitment), planCommitment(logreg, planSalt));
    assert.equal(policy.contestToleranceQ, 1n << BigInt(scoreScaleBits(logreg) - 8));
    assert.equal(defaultContestToleranceQ(mlp), 1n << BigInt(scoreScaleBits(mlp) - 6));
    assert.deepEqual([policy.planFamily, policy.refundSlopeBps, policy.buyerBond, policy.sellerBond], [1, 1_000, EXAMPLE_POLICY.deposit / 2n, EXAMPLE_POLICY.deposit / 50n]);
    assert.equal(contestableDisputePolicy({ plan: mlp, planSalt, deposit: 1n }).planFamily, 2);
  });

  it("its default bonds make every lie lose money under the example terms (k = 16, n from 32 to 1,000)", async () => {
    const policy = contestableDisputePolicy({ plan: logreg, planSalt: 1n, deposit: EXAMPLE_POLICY.deposit });
    const worst = worstCaseGain({ ...EXAMPLE_POLICY, minSamples: 32, maxSamples: 1_000, refundSlopeBps: policy.refundSlopeBps, buyerBond: policy.buyerBond, sellerBond: policy.sellerBond });
    assert.ok(worst.gain < 0n, `worst case ${worst.gain} wei at n = ${worst.sampleCount}, m = ${worst.lies}`);
  });
});
