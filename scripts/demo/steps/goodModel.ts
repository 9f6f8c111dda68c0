/**
 * Step 2: buyer A test-drives the honest listing on the Iris held-out set under real CKKS,
 * finds the claim met, buys with the test-drive's deposit applied to the price, receives the
 * model by fair exchange (byte-identical to models/iris-logreg.onnx), and the seller is paid
 * once the complaint window closes.
 */
import { parseEventLogs } from "viem";
import { readPurchase } from "@modelbazaar/sdk/actions";
import { modelMarketAbi } from "@modelbazaar/sdk/abis";
import type { DemoContext } from "../context.ts";
import { completePurchase, deliver } from "../delivery.ts";
import { FIXED_PRICE } from "../stack.ts";
import { percent, testDrive } from "../testDrive.ts";
import { eth, type Step } from "../trade.ts";

export async function goodModelStep(ctx: DemoContext, step: Step): Promise<void> {
  const { buyerA, seller, listings } = ctx;
  const drive = await testDrive(step, buyerA, listings.good, ctx.workerUrl, ctx.irisTest);
  step.say(`${buyerA.name} test-drove listing #${listings.good} on ${drive.sampleCount} Iris held-out samples under CKKS (${(drive.heMs / 1000).toFixed(1)} s): ${drive.correct}/${drive.sampleCount} = ${percent(drive.accuracyBps)}, claim ${percent(drive.claimedAccuracyBps)}`);
  step.check("the good model meets its claim on buyer A's test set", drive.accuracyBps >= drive.claimedAccuracyBps);

  const due = FIXED_PRICE - drive.deposit;
  const bought = await step.send(buyerA, "buying", () => buyerA.contracts.market.write.buy([listings.good, drive.testId, FIXED_PRICE], { value: due, chain: undefined }));
  const [opened] = parseEventLogs({ abi: modelMarketAbi, logs: bought.logs, eventName: "PurchaseOpened" });
  if (!opened) throw new Error("buy emitted no PurchaseOpened event");
  const purchaseId = opened.args.purchaseId;
  step.say(`${buyerA.name} bought it as purchase #${purchaseId}: paid ${eth(due)} + the ${eth(opened.args.depositApplied)} test-drive deposit = ${eth(opened.args.price)} in escrow`);
  step.check("the test-drive deposit was applied to the price", opened.args.depositApplied === drive.deposit && opened.args.price === FIXED_PRICE);

  const outcome = await deliver(step, { seller, buyer: buyerA, purchaseId, model: ctx.model });
  const exact = outcome.outcome === "downloaded" && Buffer.from(outcome.file).equals(Buffer.from(ctx.model));
  step.say(exact ? `${buyerA.name} received the exact committed file: ${ctx.model.length} bytes, byte-identical to models/iris-logreg.onnx` : `${buyerA.name} did NOT receive the committed file`);
  step.check("buyer A received the exact committed file", exact);

  const paid = await completePurchase(step, seller, purchaseId);
  const status = (await readPurchase(ctx.market.publicClient, ctx.market.deployment, purchaseId)).status;
  step.say(`after the complaint window ${seller.name} completed purchase #${purchaseId} and was paid ${eth(paid)}`);
  step.check("the seller was paid the price once the purchase completed", status === "Completed" && paid === FIXED_PRICE);
}
