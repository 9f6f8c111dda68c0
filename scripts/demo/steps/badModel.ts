/**
 * Step 3: buyer B test-drives the listing with the inflated claim, finds the accuracy below
 * it, proves so with a real Groth16 proof (the circuit the market's verifier uses for the
 * listing) and is refunded the deposit by `claimRefund`, less the fee of the free samples: a
 * refund never returns the fee of a sample the worker evaluated, so the seller is paid for
 * every sample (docs/PROTOCOL.md §3).
 */
import { join } from "node:path";
import { proveRefund } from "../../../sdk/src/actions/proveRefund.ts";
import { readTest } from "../../../sdk/src/actions/readTest.ts";
import { modelRegistryAbi } from "../../../sdk/src/generated/abis.ts";
import { refundShares } from "../../../sdk/src/testDrives/refundShares.ts";
import { ROOT } from "../../zk/compile.ts";
import type { DemoContext } from "../context.ts";
import { percent, testDrive } from "../testDrive.ts";
import { eth, type Step } from "../trade.ts";

const ARTIFACTS = join(ROOT, "circuits", "artifacts");

export async function badModelStep(ctx: DemoContext, step: Step): Promise<void> {
  const { buyerB, seller, listings } = ctx;
  const before = await step.funds(buyerB);
  const sellerBefore = await step.funds(seller);
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
  const [, , policy] = await ctx.market.publicClient.readContract({ address: ctx.market.deployment.registry, abi: modelRegistryAbi, functionName: "testTerms", args: [listings.bad] });
  const shares = refundShares(policy, drive.sampleCount);
  const sellerGot = (await step.funds(seller)) - sellerBefore;
  step.say(`refund: ${eth(back)} of the ${eth(drive.deposit)} deposit returned to ${buyerB.name}; ${seller.name} was paid ${eth(sellerGot)} for the ${drive.sampleCount} samples (${eth(drive.fee)} at the receipt, ${eth(shares.toSeller)} for the free samples at the refund) (test-drive #${drive.testId} is ${view.phase})`);
  step.check("buyer B was refunded the deposit, less the free samples' fee, by the proof", back === shares.toBuyer && view.phase === "Refunded");
  step.check("the seller was paid the fee of every sample of the refunded test", sellerGot === drive.fee + shares.toSeller && sellerGot === BigInt(drive.sampleCount) * policy.feePerExtraSample);
}
