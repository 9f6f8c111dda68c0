/**
 * The study's price list: what reaching a fidelity costs under the example listing, in
 * test-drives and ETH (the SDK's extractionCost: the cheaper of walking away from the deposit
 * and winning it back by a refund, per test-drive), with gas from the measured benchmarks
 * (docs/benchmarks/gas.json, docs/benchmarks/disputes.json) at the configured gas price.
 */
import { readFileSync } from "node:fs";
import { extractionCost, type ExtractionCost, type ExtractionTestPolicy, type TestDriveGas } from "@modelbazaar/sdk/listings";
import type { QueriesNeeded } from "./curves.ts";
import type { DefenceSetting } from "./defences.ts";

/** Gas used per step, as the benchmarks measured it. */
export interface MeasuredGas {
  readonly openTest: number;
  readonly recordSignedReceipt: number;
  readonly claimRefund: number;
  readonly closeDispute: number;
}

export function readMeasuredGas(benchmarksDir = "docs/benchmarks"): MeasuredGas {
  const gas = JSON.parse(readFileSync(`${benchmarksDir}/gas.json`, "utf8")) as Record<string, number>;
  const disputes = JSON.parse(readFileSync(`${benchmarksDir}/disputes.json`, "utf8")) as { gas: { realFlows: { steps: { step: string; gas: number }[] }[] } };
  const steps = disputes.gas.realFlows.flatMap((flow) => flow.steps);
  const step = (prefix: string): number => {
    const found = steps.find((s) => s.step.startsWith(prefix));
    if (!found) throw new Error(`docs/benchmarks/disputes.json has no "${prefix}" step: run npm run bench:disputes.`);
    return found.gas;
  };
  const openTest = gas["openTest (with fee)"];
  const recordSignedReceipt = gas.recordSignedReceipt;
  if (openTest === undefined || recordSignedReceipt === undefined) throw new Error("docs/benchmarks/gas.json lacks openTest (with fee) or recordSignedReceipt: run npm run gas.");
  return { openTest, recordSignedReceipt, claimRefund: step("claimRefund (honest)"), closeDispute: step("closeDispute (uncontested") };
}

/** Wei per test-drive on each path at `gasPriceWei`. */
export function testDriveGas(gas: MeasuredGas, gasPriceWei: bigint): TestDriveGas {
  const walkAway = BigInt(gas.openTest + gas.recordSignedReceipt) * gasPriceWei;
  return { walkAway, refund: walkAway + BigInt(gas.claimRefund + gas.closeDispute) * gasPriceWei };
}

/** The listing's policy under a setting (a per-test cap lowers maxSamples). */
export function policyUnder(policy: ExtractionTestPolicy, setting: DefenceSetting): ExtractionTestPolicy {
  const cap = setting.maxSamplesPerTest;
  if (cap === undefined || cap >= policy.maxSamples) return policy;
  return { ...policy, maxSamples: cap, minSamples: Math.min(policy.minSamples, cap) };
}

/** The cost of the queries a fidelity needs: at its measured upper bracket, or undefined when no budget reached it. */
export function priceOf(needed: QueriesNeeded, policy: ExtractionTestPolicy, gas: TestDriveGas): ExtractionCost | undefined {
  return needed.atMost === undefined ? undefined : extractionCost(policy, needed.atMost, gas);
}
