/**
 * Step 3: buyer B test-drives the listing with the inflated claim, finds the accuracy below
 * it, proves so with a real Groth16 proof (the circuit the market's verifier uses for the
 * listing) and is refunded the deposit by `claimRefund`.
 */
import { join } from "node:path";
import { proveRefund } from "../../../sdk/src/actions/proveRefund.ts";
import { readTest } from "../../../sdk/src/actions/readTest.ts";
import { ROOT } from "../../zk/compile.ts";
import type { DemoContext } from "../context.ts";
import { percent, testDrive } from "../testDrive.ts";
import { eth, type Step } from "../trade.ts";

const ARTIFACTS = join(ROOT, "circuits", "artifacts");

export async function badModelStep(ctx: DemoContext, step: Step): Promise<void> {
  const { buyerB, listings } = ctx;
  const before = await step.funds(buyerB);
  const drive = await testDrive(step, buyerB, listings.bad, ctx.workerUrl, ctx.irisTest);
  step.say(`${buyerB.name} test-drove listing #${listings.bad} (deposit ${eth(drive.deposit)}, fee ${eth(drive.fee)}) under CKKS (${(drive.heMs / 1000).toFixed(1)} s): ${drive.correct}/${drive.sampleCount} = ${percent(drive.accuracyBps)}, claim ${percent(drive.claimedAccuracyBps)}`);
  step.check("the bad model misses its claim on buyer B's test set", drive.accuracyBps < drive.claimedAccuracyBps);

  const started = performance.now();
  const proven = await proveRefund(ctx.market.publicClient, {
    market: ctx.market.deployment.market,
    verifier: ctx.market.deployment.disputeVerifier,
    testId: drive.testId,
    kept: drive.kept,
    artifacts: (name) => join(ARTIFACTS, name, name),
  });
  const proveMs = performance.now() - started;
  const receipt = await step.send(buyerB, "claiming the refund", () => buyerB.contracts.market.write.claimRefund([drive.testId, proven.proof.calldata], { chain: undefined }));
  const back = (await step.funds(buyerB)) - (before - drive.deposit - drive.fee);
  const view = await readTest(ctx.market.publicClient, ctx.market.deployment, drive.testId);
  step.say(`${buyerB.name} proved ${proven.correct}/${proven.fields.sampleCount} correct < the claim with a Groth16 proof (circuit ${proven.circuit.name}, ${(proveMs / 1000).toFixed(1)} s, verified on-chain for ${receipt.gasUsed} gas)`);
  step.say(`refund: ${eth(back)} returned to ${buyerB.name} (test-drive #${drive.testId} is ${view.phase})`);
  step.check("buyer B was refunded the deposit by the proof", back === drive.deposit && view.phase === "Refunded");
}
