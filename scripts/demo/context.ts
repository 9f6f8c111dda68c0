/**
 * What every demo step shares: the market, the worker's URL, the listings, the traders by
 * role, the Iris held-out test set and the listed model file.
 */
import { readFileSync } from "node:fs";
import type { Dataset } from "../lib/datasets/dataset.ts";
import { loadIris } from "../lib/datasets/iris.ts";
import { modelPath } from "../lib/demoListings.ts";
import { ROLES, type DemoListings, type DemoStack } from "./stack.ts";
import { trader, type Market, type Trader } from "./trade.ts";

export interface DemoContext {
  readonly market: Market;
  readonly workerUrl: string;
  readonly listings: DemoListings;
  readonly seller: Trader;
  readonly buyerA: Trader;
  readonly buyerB: Trader;
  readonly bidders: readonly Trader[];
  readonly cheater: Trader;
  readonly victim: Trader;
  readonly irisTest: Dataset;
  /** models/iris-logreg.onnx, the file every demo listing commits to. */
  readonly model: Uint8Array;
}

export function demoContext(stack: DemoStack): DemoContext {
  const market: Market = { publicClient: stack.publicClient, deployment: stack.deployment, rpcUrl: stack.rpcUrl };
  return {
    market,
    workerUrl: stack.workerUrl,
    listings: stack.listings,
    seller: trader(market, "seller #1", ROLES.seller),
    buyerA: trader(market, "buyer A #2", ROLES.buyerA),
    buyerB: trader(market, "buyer B #7", ROLES.buyerB),
    bidders: ROLES.bidders.map((i, n) => trader(market, `bidder ${"XYZ"[n]} #${i}`, i)),
    cheater: trader(market, "cheating seller #8", ROLES.cheater),
    victim: trader(market, "buyer C #9", ROLES.victim),
    irisTest: loadIris().test,
    model: readFileSync(modelPath("iris-logreg")),
  };
}
