/**
 * The public market activity `npm start` seeds, so that recommendations have something to learn
 * from on a fresh chain: six dev accounts of no other role (#7-#12) buy demo listings at their
 * price, in two tastes (Iris and MNIST, with one account in between), leaving each purchase
 * awaiting the seller's delivery. Every client learns the item factors it ranks with from these
 * public `PurchaseOpened` events (sdk/src/recommend/marketItemFactors.ts). Purchases only, no
 * test-drives: a test-drive opened here would take test id #1 from the buyer's first one.
 */
import type { DemoModel } from "./demoListings.ts";

/** Who buys what: dev account index → the demo models it buys, in order. */
export const DEMO_PURCHASES: ReadonlyMap<number, readonly DemoModel[]> = new Map([
  [7, ["iris-logreg", "iris-square-mlp"]],
  [8, ["iris-logreg", "iris-square-mlp"]],
  [9, ["iris-logreg", "iris-square-mlp", "mnist-logreg"]],
  [10, ["mnist-logreg", "mnist-cryptonets"]],
  [11, ["mnist-logreg", "mnist-cryptonets"]],
  [12, ["mnist-logreg"]],
]);

/** Sends DEMO_PURCHASES' purchases one by one: `buy` sends one as a dev account and resolves once it is mined. Returns how many. */
export async function seedDemoPurchases(buy: (accountIndex: number, model: DemoModel) => Promise<void>): Promise<number> {
  let count = 0;
  for (const [accountIndex, models] of DEMO_PURCHASES) {
    for (const model of models) {
      await buy(accountIndex, model);
      count++;
    }
  }
  return count;
}
