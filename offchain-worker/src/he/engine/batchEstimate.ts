/**
 * What one full batch of a plan will cost on this machine, priced before it runs: the plan's
 * counted operations, linear layers on the path `engine` takes (planWork.ts), at the CPU costs measured now (operationCosts.ts),
 * turned into wall time at the share of a core this thread got while measuring, and the bytes
 * that travel (sdk/src/he/wireSizes.ts, exact). `bazaar model check` prints it before its
 * one-batch measurement; the worker publishes its own part (`evaluateSeconds`) per listing in
 * GET /listings, so a buyer learns the wait before paying.
 */
import { type BuyerSession, summarizePlan, type HePlan, testDriveTraffic } from "@modelbazaar/sdk/he";
import { estimateSteps, measureOperationCosts, type StepEstimate } from "./operationCosts.ts";
import { planWork } from "./planWork.ts";
import type { EngineContext } from "./runtime.ts";

export interface BatchEstimate {
  readonly samples: number;
  /** Every step of a one-batch test-drive, buyer's and worker's, in order. */
  readonly steps: readonly StepEstimate[];
  /** Wall seconds (at `cpuShare`) of the buyer's encryption. */
  readonly encryptSeconds: number;
  /** Wall seconds of the worker's part: loading, the layers, finishing. */
  readonly evaluateSeconds: number;
  readonly decryptSeconds: number;
  readonly totalSeconds: number;
  /** CPU seconds of the whole batch (what the work costs, whatever the load). */
  readonly cpuSeconds: number;
  /** The share of a core this thread got while the costs were measured (operationCosts.ts). */
  readonly cpuShare: number;
  readonly secondsPer1000Samples: number;
  readonly relinKeyBytes: number;
  readonly uploadBytes: number;
  readonly resultBytes: number;
}

/** Prices one full batch of `plan` with `session`'s keys and `engine`'s evaluator, both for the plan's parameters (about a second). */
export function priceBatch(plan: HePlan, engine: EngineContext, session: BuyerSession): BatchEstimate {
  const costs = measureOperationCosts(session, engine);
  const steps = estimateSteps(planWork(plan, engine.he.parameters, engine.kernel ? "residues" : "seal"), costs);
  const seconds = (keep: (step: StepEstimate) => boolean): number => steps.filter(keep).reduce((sum, s) => sum + s.seconds, 0);
  const encryptSeconds = seconds((s) => s.step === "encrypt");
  const decryptSeconds = seconds((s) => s.step === "decrypt");
  const evaluateSeconds = seconds((s) => s.side === "worker");
  const totalSeconds = encryptSeconds + evaluateSeconds + decryptSeconds;
  const traffic = testDriveTraffic(summarizePlan(plan), engine.he.slots);
  return {
    samples: engine.he.slots,
    steps,
    encryptSeconds,
    evaluateSeconds,
    decryptSeconds,
    totalSeconds,
    cpuSeconds: steps.reduce((sum, s) => sum + s.cpuSeconds, 0),
    cpuShare: costs.cpuShare,
    secondsPer1000Samples: (totalSeconds * 1000) / engine.he.slots,
    relinKeyBytes: traffic.relinKeyBytes,
    uploadBytes: traffic.uploadBytes,
    resultBytes: traffic.resultBytes,
  };
}
