/**
 * Round 0's factors from the chain's public factors (the SDK's marketItemFactors of the market's
 * test-drives and purchases, which every client computes to rank): the study's federated MF
 * starts there and spends the buyers' privacy budget on fine-tuning them
 * (docs/studies/recommendation.md). Listings past the public factors' count keep the seeded
 * random start, so anyone can recompute round 0 from the chain and the seed.
 */
import type { PublicClient } from "viem";
import { collectEvents } from "@modelbazaar/sdk/audit";
import type { Deployment } from "@modelbazaar/sdk/client";
import { marketItemFactors, randomItemFactors, seededRandom, type ItemFactors } from "@modelbazaar/sdk/recommend";

/** `itemCount` × `dimension` factors: the public factors' rows, then seeded random ones (all seeded random without public factors). */
export function publicStartFactors(publicFactors: ItemFactors | undefined, itemCount: number, dimension: number, seed: number): ItemFactors {
  const start = randomItemFactors(itemCount, dimension, seededRandom(seed));
  if (!publicFactors) return start;
  if (publicFactors.dimension !== dimension) throw new RangeError(`the public factors have dimension ${publicFactors.dimension}, the aggregator's ${dimension}`);
  start.values.set(publicFactors.values.subarray(0, Math.min(publicFactors.count, itemCount) * dimension));
  return start;
}

/** publicStartFactors of the market's public events as the chain holds them now (npm start's aggregator, and one run on its own with AGGREGATOR_RPC_URL). */
export async function chainStartFactors(publicClient: PublicClient, deployment: Deployment, shape: { readonly itemCount: number; readonly dimension: number; readonly seed: number }): Promise<ItemFactors> {
  const { market } = await collectEvents(publicClient, deployment);
  return publicStartFactors(marketItemFactors(market), shape.itemCount, shape.dimension, shape.seed);
}
