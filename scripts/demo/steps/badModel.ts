/**
 * Step 3: buyer B test-drives the listing with the inflated claim, finds the accuracy below
 * it, and claims a graded refund with a real Groth16 proof of the shortfall (Refund(N), which
 * reveals nothing about the test set), staking the listing's buyer bond and the free samples'
 * fee (docs/DISPUTES.md §4, §7). The seller does not contest: when the contest window ends the
 * dispute closes, the buyer is credited the graded refund and its bond, and the seller the rest
 * of the deposit and the fee of the free samples, so it is paid for every sample.
 */
import { getContract } from "viem";
import { proveGradedRefund, readDispute, readTest } from "@modelbazaar/sdk/actions";
import { refundDisputesAbi } from "@modelbazaar/sdk/abis";
import { ARTIFACTS } from "../../cli/disputeSteps.ts";
import type { DemoContext } from "../context.ts";
import { percent, testDrive } from "../testDrive.ts";
import { eth, type Step } from "../trade.ts";

export async function badModelStep(ctx: DemoContext, step: Step): Promise<void> {
  const { buyerB, seller, listings } = ctx;
  const before = await step.funds(buyerB);
  const sellerBefore = await step.funds(seller);
  const drive = await testDrive(step, buyerB, listings.bad, ctx.workerUrl, ctx.irisTest);
  step.say(`${buyerB.name} test-drove listing #${listings.bad} (deposit ${eth(drive.deposit)}, fee ${eth(drive.fee)}) under CKKS (${(drive.heMs / 1000).toFixed(1)} s): ${drive.correct}/${drive.sampleCount} = ${percent(drive.accuracyBps)}, claim ${percent(drive.claimedAccuracyBps)}`);
  step.check("the bad model misses its claim on buyer B's test set", drive.accuracyBps < drive.claimedAccuracyBps);

  const started = performance.now();
  const claimed = await proveGradedRefund(ctx.market.publicClient, { market: ctx.market.deployment.market, testId: drive.testId, kept: drive.kept, artifacts: ARTIFACTS });
  const proveMs = performance.now() - started;
  const disputes = getContract({ address: claimed.context.disputes, abi: refundDisputesAbi, client: { public: ctx.market.publicClient, wallet: buyerB.walletClient } });
  const receipt = await step.send(buyerB, "claiming the refund", () =>
    disputes.write.claimRefund([drive.testId, claimed.shortfallBps, claimed.predictionCommitment, claimed.buyerSecretHash, claimed.proof.calldata], { value: claimed.value, chain: undefined }),
  );
  step.say(`${buyerB.name} proved a shortfall of ${claimed.shortfallBps} bps (${claimed.correct}/${drive.sampleCount} correct) with a Groth16 proof (refund_${claimed.context.circuitSize}, ${(proveMs / 1000).toFixed(1)} s, verified on-chain for ${receipt.gasUsed} gas) and staked ${eth(claimed.value)}`);

  const view = await readDispute(ctx.market.publicClient, { market: ctx.market.deployment.market, testId: drive.testId });
  await step.skip(Number((view.deadline ?? view.now) - view.now));
  await step.send(buyerB, "closing the uncontested dispute", () => disputes.write.closeDispute([drive.testId], { chain: undefined }));
  const back = (await step.funds(buyerB)) - (before - drive.deposit - drive.fee);
  const test = await readTest(ctx.market.publicClient, ctx.market.deployment, drive.testId);
  const sellerGot = (await step.funds(seller)) - sellerBefore;
  const freeFee = claimed.value - view.buyerBond;
  step.say(`the seller did not contest; after the contest window ${buyerB.name} got ${eth(back)} of the ${eth(drive.deposit)} deposit back (the graded refund), and ${seller.name} ${eth(sellerGot)} for the rest and the ${drive.sampleCount} samples (test-drive #${drive.testId} is ${test.phase})`);
  step.check("buyer B was refunded the graded share of the deposit, less the free samples' fee, and its bond", back === claimed.refund - freeFee && test.phase === "Refunded");
  step.check("the seller was paid the rest of the deposit and the fee of every sample", sellerGot === drive.deposit - claimed.refund + drive.fee + freeFee);
}
