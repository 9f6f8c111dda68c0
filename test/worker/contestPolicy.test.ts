/**
 * The worker's contest policy and secret (offchain-worker/src/disputes/contestPolicy.ts,
 * contestSecret.ts): contest when the refund at stake is at least the threshold's share of the
 * free samples' fee (F_free/2 by default, docs/DISPUTES.md §4.2) on a listing whose plan the
 * worker holds and the market can verify; pass otherwise, saying why. The secret is the same
 * for the same key and test (so a restart finds it again) and differs across tests, chains,
 * contracts and keys.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { DEFAULTS } from "../../offchain-worker/src/config.ts";
import type { ContestablePlan } from "../../offchain-worker/src/disputes/contestablePlans.ts";
import { contestDecision } from "../../offchain-worker/src/disputes/contestPolicy.ts";
import { deriveContestSecret } from "../../offchain-worker/src/disputes/contestSecret.ts";
import type { QuantizedPlan } from "@modelbazaar/sdk/he";

const PLAN: ContestablePlan = { plan: {} as QuantizedPlan, planSalt: 1n, circuit: "contest_linear_4x3" };
const FREE = 64_000n;

describe("contest policy", () => {
  const decide = (refund: bigint, plan: ContestablePlan | undefined, thresholdBps: number = DEFAULTS.contestThresholdBps) =>
    contestDecision({ listingId: 7n, refund, freeSamplesFee: FREE }, plan, thresholdBps);

  it("contests from R = F_free/2 up by default, and passes below", () => {
    assert.equal(DEFAULTS.contestThresholdBps, 5_000);
    assert.equal(decide(FREE / 2n, PLAN).decision, "contest");
    assert.equal(decide(10n ** 18n, PLAN).decision, "contest");
    const below = decide(FREE / 2n - 1n, PLAN);
    assert.equal(below.decision, "pass");
    assert.match(below.reason, /the refund at stake \(31999 wei\) is below 50% of the free samples' fee \(64000 wei\)/);
  });

  it("takes another threshold, and contests every claim at 0 or when no fee was staked", () => {
    assert.equal(decide(FREE, PLAN, 20_000).decision, "pass");
    assert.equal(decide(2n * FREE, PLAN, 20_000).decision, "contest");
    assert.equal(decide(1n, PLAN, 0).decision, "contest");
    assert.equal(contestDecision({ listingId: 7n, refund: 1n, freeSamplesFee: 0n }, PLAN, 5_000).decision, "contest");
  });

  it("passes on a listing it does not contest, or whose contest the market cannot verify", () => {
    assert.match(decide(10n ** 18n, undefined).reason, /listing 7 is not contested by this worker/);
    const noCircuit = decide(10n ** 18n, { ...PLAN, circuit: undefined });
    assert.equal(noCircuit.decision, "pass");
    assert.match(noCircuit.reason, /no contest circuit this worker can prove for listing 7's plan/);
  });
});

describe("contest secret", () => {
  const scope = { chainId: 31337, disputes: "0x5FbDB2315678afecb367f032d93F642f64180aa3", testId: 3n } as const;

  it("is the same for the same key and test, and differs for another test, chain, contract or key", async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const secret = await deriveContestSecret(account, scope);
    assert.equal(await deriveContestSecret(privateKeyToAccount(generatePrivateKey()), scope) === secret, false);
    assert.equal(await deriveContestSecret(account, scope), secret);
    const others = await Promise.all([
      deriveContestSecret(account, { ...scope, testId: 4n }),
      deriveContestSecret(account, { ...scope, chainId: 1 }),
      deriveContestSecret(account, { ...scope, disputes: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512" }),
    ]);
    assert.equal(new Set([secret, ...others]).size, 4);
    assert.match(secret, /^0x[0-9a-f]{64}$/);
  });
});
