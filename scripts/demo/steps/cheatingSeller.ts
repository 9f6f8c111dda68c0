/**
 * Step 5: a cheating seller commits a delivery whose ciphertext has one chunk altered (its
 * Merkle root is honest about the altered bytes, so the buyer's pre-check passes), reveals
 * the key, and the buyer's complaint (the bad chunk with its two Merkle proofs) is upheld:
 * the whole payment comes back.
 */
import { parseEventLogs } from "viem";
import { readPurchase } from "@modelbazaar/sdk/actions";
import { modelMarketAbi } from "@modelbazaar/sdk/abis";
import { stateLabel } from "@modelbazaar/sdk/labels";
import type { DemoContext } from "../context.ts";
import { deliver } from "../delivery.ts";
import { FIXED_PRICE } from "../stack.ts";
import { eth, type Step } from "../trade.ts";

const CORRUPT_CHUNK = 7;

export async function cheatingSellerStep(ctx: DemoContext, step: Step): Promise<void> {
  const { cheater, victim } = ctx;
  const before = await step.funds(victim);
  const bought = await step.send(victim, "buying", () => victim.contracts.market.write.buy([ctx.listings.cheated, 0n, FIXED_PRICE], { value: FIXED_PRICE, chain: undefined }));
  const [opened] = parseEventLogs({ abi: modelMarketAbi, logs: bought.logs, eventName: "PurchaseOpened" });
  if (!opened) throw new Error("buy emitted no PurchaseOpened event");
  const purchaseId = opened.args.purchaseId;
  step.say(`${victim.name} bought listing #${ctx.listings.cheated} from ${cheater.name} for ${eth(FIXED_PRICE)} (purchase #${purchaseId})`);
  const outcome = await deliver(step, { seller: cheater, buyer: victim, purchaseId, model: ctx.model, corruptChunk: CORRUPT_CHUNK });
  const status = (await readPurchase(ctx.market.publicClient, ctx.market.deployment, purchaseId)).status;
  const back = (await step.funds(victim)) - (before - FIXED_PRICE);
  step.say(`${cheater.name} revealed the key of a ciphertext with chunk ${CORRUPT_CHUNK} altered`);
  if (outcome.outcome === "refunded") step.say(`${victim.name} found chunk ${outcome.badChunk} wrong and complained with its Merkle proofs: complaint upheld, ${eth(back)} refunded (purchase ${stateLabel("PurchaseStatus", status)})`);
  step.check("the buyer's complaint was upheld and refunded the payment", outcome.outcome === "refunded" && outcome.badChunk === CORRUPT_CHUNK && status === "Refunded" && back === FIXED_PRICE);
}
