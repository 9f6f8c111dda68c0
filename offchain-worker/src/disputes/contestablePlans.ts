/**
 * The worker's start-up check of its contestable listings (docs/DISPUTES.md §3.1, §6): for each
 * served listing whose dispute policy has a plan family, the plan the evaluator evaluates,
 * quantized at the listing's scale, must hash with the seller's plan salt to the listing's plan
 * commitment. Otherwise the worker refuses to start (a {ConfigError} naming the listing): a
 * worker serving another model version would evaluate one plan while the listing commits to
 * another, and its contests would frame honest buyers. A listing configured with
 * `contest: false` is left to the seller's own `bazaar contest` and not checked.
 */
import { zeroAddress } from "viem";
import { contestCircuitName } from "@modelbazaar/sdk/actions";
import { planCommitment } from "@modelbazaar/sdk/disputes";
import { quantizePlan, UncontestablePlanError, type QuantizedPlan } from "@modelbazaar/sdk/he";
import type { MarketClient } from "../chain/marketClient.ts";
import { ConfigError, type ServedModel } from "../config.ts";
import type { Evaluator } from "../evaluation/evaluator.ts";

export interface ContestablePlan {
  readonly plan: QuantizedPlan;
  readonly planSalt: bigint;
  /** The shipped contest circuit that proves the listing's contests; undefined when the market has none for its plan. */
  readonly circuit: string | undefined;
}

/** How the seller gives the worker the salt. */
const SALT_HINT = "give it the listing's plan salt (`bazaar model plan-salt <model.onnx> --out <file>` with the seller's key, then listings[].planSaltFile)";

/**
 * The plans of the served listings the worker contests, by listing id (decimal).
 * @throws ConfigError for a contestable listing without a salt, whose evaluator states no plan,
 * or whose plan and salt do not reproduce its commitment
 */
export async function contestablePlans(listings: readonly ServedModel[], evaluator: Evaluator, market: MarketClient): Promise<Map<string, ContestablePlan>> {
  const plans = new Map<string, ContestablePlan>();
  for (const listing of listings) {
    const { policy, terms, circuit } = await market.disputeSetup(listing.listingId);
    if (policy.planFamily === 0 || listing.contest === false) continue; // 0: no plan family, refunds bound by their fees only
    const id = listing.listingId;
    if (listing.planSalt === undefined) {
      throw new ConfigError(`listing ${id} is contestable, so the worker checks the plan it evaluates against the listing's plan commitment: ${SALT_HINT}, or set "contest": false on it to contest its refunds by hand`);
    }
    if (!evaluator.plan) throw new ConfigError(`listing ${id} is contestable, but the evaluator module does not state the plan it evaluates (Evaluator.plan), so the worker cannot check it against the listing's plan commitment`);
    let plan: QuantizedPlan;
    try {
      plan = quantizePlan(evaluator.plan(listing.modelId), { scaleBits: terms.scaleBits });
    } catch (error) {
      if (error instanceof UncontestablePlanError) throw new ConfigError(`listing ${id} is contestable, but the model "${listing.modelId}" the worker serves for it has no contestable plan: ${error.message}`);
      throw error;
    }
    if (planCommitment(plan, listing.planSalt) !== BigInt(policy.planCommitment)) {
      throw new ConfigError(
        `the plan the worker evaluates for listing ${id} (model "${listing.modelId}") and the configured plan salt do not reproduce the listing's plan commitment: serve the listed model file, and ${SALT_HINT}`,
      );
    }
    plans.set(id.toString(), { plan, planSalt: listing.planSalt, circuit: circuit.verifier === zeroAddress ? undefined : contestCircuitName(plan, circuit) });
  }
  return plans;
}
