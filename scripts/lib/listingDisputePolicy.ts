/**
 * The dispute policy `bazaar list` gives a listing (docs/DISPUTES.md §3.1, §4): contestable when
 * the model's plan quantizes into a family a shipped contest circuit proves and the test policy
 * fits a contest (32 to 1,024 samples, features of at most 16 bits), with the default refund
 * slope and bonds, the buyer bond raised where the fees alone would let a lie pay; otherwise
 * bound by the fee of every sample only, with the sentence that says why. The plan salt is derived from the
 * seller's signature (sdk/src/disputes/planSalt.ts), so `bazaar contest` finds it again.
 */
import type { Hex } from "viem";
import { CONTEST_CIRCUITS } from "../../ignition/modules/RefundDisputeCircuits.ts";
import { compileOnnx, MalformedModelError, UnsupportedModelError } from "../../offchain-worker/src/he/compiler/index.ts";
import {
  contestableDisputePolicy,
  PlanFamily,
  minimumBuyerBond,
  worstCaseGain,
  type DishonestDispute,
  derivePlanSalt,
  CONTEST_SQUARE_MLP_CIRCUITS,
} from "@modelbazaar/sdk/disputes";
import { quantizePlan, UncontestablePlanError, type QuantizedPlan } from "@modelbazaar/sdk/he";
import { ECONOMICS_ONLY_DISPUTE_POLICY, type DisputePolicy, type TaskSpec, type TestPolicy } from "@modelbazaar/sdk/listings";

/** The smallest and largest test sets a contestable listing may take (ModelRegistry's MIN/MAX_CONTESTABLE_SAMPLES). */
export const CONTESTABLE_SAMPLES = { min: 32, max: 1_024 } as const;

/** The quantized plan a listing of `onnx` under `task` commits to. */
export async function committedPlanOf(onnx: Uint8Array, task: Pick<TaskSpec, "scaleBits">): Promise<QuantizedPlan> {
  const { plan } = await compileOnnx(onnx);
  return quantizePlan(plan, { scaleBits: task.scaleBits });
}

/** Why a plan and policy cannot be contested, or undefined when they can. */
export function uncontestableReason(plan: QuantizedPlan, task: TaskSpec, policy: TestPolicy): string | undefined {
  const family = plan.family === "linear" ? PlanFamily.Linear : PlanFamily.SquareMlp;
  const circuit = CONTEST_CIRCUITS.find(
    (c) => c.family === family && (family === PlanFamily.Linear ? c.features >= task.featureCount : c.features === task.featureCount) && c.classes >= task.classCount,
  );
  if (!circuit) return `no shipped contest circuit proves a ${plan.family} plan of ${task.featureCount} features and ${task.classCount} classes`;
  if (plan.family === "squareMlp" && !Object.values(CONTEST_SQUARE_MLP_CIRCUITS).some((s) => s.hidden === plan.hiddenSize && s.features === task.featureCount)) {
    return `the shipped SquareMlp contest circuit takes another hidden width than this plan's ${plan.hiddenSize}`;
  }
  if (policy.minSamples < CONTESTABLE_SAMPLES.min || policy.maxSamples > CONTESTABLE_SAMPLES.max) {
    return `a contest opens 16 samples, so a contestable listing takes ${CONTESTABLE_SAMPLES.min} to ${CONTESTABLE_SAMPLES.max} samples, not ${policy.minSamples} to ${policy.maxSamples}`;
  }
  if (task.featureBits > 16) return `a contest checks features of at most 16 bits, not ${task.featureBits}`;
  return undefined;
}

export interface ListingDisputePolicy {
  readonly policy: DisputePolicy;
  /** Why the listing cannot be contested, when it cannot. */
  readonly uncontestable?: string;
  /** For a contestable listing: the best expected gain of a buyer lying about predictions, over every test size and lie count (docs/DISPUTES.md §4.2). */
  readonly worstCase?: DishonestDispute;
}

/** The dispute policy of listing `onnx` (Merkle root `modelRoot`) under `task` and `testPolicy`, signed for by `seller`. */
export async function listingDisputePolicy(
  onnx: Uint8Array,
  modelRoot: Hex,
  task: TaskSpec,
  testPolicy: TestPolicy,
  seller: { signMessage(args: { message: string }): Promise<Hex> },
): Promise<ListingDisputePolicy> {
  let plan: QuantizedPlan;
  try {
    plan = await committedPlanOf(onnx, task);
  } catch (error) {
    if (error instanceof UncontestablePlanError || error instanceof MalformedModelError || error instanceof UnsupportedModelError) {
      return { policy: ECONOMICS_ONLY_DISPUTE_POLICY, uncontestable: error.message };
    }
    throw error;
  }
  const uncontestable = uncontestableReason(plan, task, testPolicy);
  if (uncontestable !== undefined) return { policy: ECONOMICS_ONLY_DISPUTE_POLICY, uncontestable };
  const planSalt = await derivePlanSalt(seller, modelRoot);
  const defaults = contestableDisputePolicy({ plan, planSalt, deposit: testPolicy.deposit });
  // The buyer bond is the default (D/2) or, when that is not enough under these fees, the smallest
  // bond that makes every lie lose money in expectation (docs/DISPUTES.md §4.2).
  const economics = { ...testPolicy, refundSlopeBps: defaults.refundSlopeBps, buyerBond: defaults.buyerBond, sellerBond: defaults.sellerBond };
  const needed = minimumBuyerBond(economics);
  const policy = needed > defaults.buyerBond ? { ...defaults, buyerBond: needed } : defaults;
  return { policy, worstCase: worstCaseGain({ ...economics, buyerBond: policy.buyerBond }) };
}
