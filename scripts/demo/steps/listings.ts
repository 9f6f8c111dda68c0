/**
 * Step 1: what the seller listed (at setup, before the worker started serving the listings):
 * read back from the registry, with the claims the later steps put to the test.
 */
import { readListing } from "@modelbazaar/sdk/actions";
import type { DemoContext } from "../context.ts";
import { INFLATED_CLAIM_BPS } from "../stack.ts";
import { percent } from "../testDrive.ts";
import { eth, type Step } from "../trade.ts";

export async function listingsStep(ctx: DemoContext, step: Step): Promise<void> {
  const { publicClient, deployment } = ctx.market;
  const read = (id: bigint) => readListing(publicClient, deployment, id);
  const [good, bad, auctioned, cheated] = await Promise.all([read(ctx.listings.good), read(ctx.listings.bad), read(ctx.listings.auctioned), read(ctx.listings.cheated)]);
  step.say(`${ctx.seller.name} listed iris-logreg 4 times at setup (4 transactions), all served by the CKKS worker at ${ctx.workerUrl}:`);
  step.say(`  #${ctx.listings.good} good model: claims ${percent(good.terms.claimedAccuracyBps)} (its card's held-out accuracy), ${eth(good.offer.price)}`);
  step.say(`  #${ctx.listings.bad} bad model: the same file claiming ${percent(bad.terms.claimedAccuracyBps)}, ${eth(bad.offer.price)}`);
  step.say(`  #${ctx.listings.auctioned} sold by sealed-bid auction`);
  step.say(`  #${ctx.listings.cheated} listed by ${ctx.cheater.name}, ${eth(cheated.offer.price)}`);
  step.check("the bad listing carries the inflated claim", bad.terms.claimedAccuracyBps === INFLATED_CLAIM_BPS);
  step.check("every listing commits to the same model root", [bad, auctioned, cheated].every((l) => l.terms.modelRoot === good.terms.modelRoot));
  step.check("the auctioned listing is in auction mode", auctioned.offer.saleMode === 1);
}
