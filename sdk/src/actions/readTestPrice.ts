/**
 * What `openTest` of `sampleCount` samples on a listing costs, as the market prices it
 * (`testPrice`: the deposit and the fee of the samples beyond the free ones), or a sentence
 * saying which sample counts the listing accepts.
 */
import type { Address, PublicClient } from "viem";
import { modelMarketAbi } from "../generated/abis.ts";
import { TestSetError } from "./prepareTestSet.ts";

export interface TestPrice {
  readonly deposit: bigint;
  readonly fee: bigint;
}

/** Throws TestSetError when the listing does not accept `sampleCount` samples (`policy` words the range). */
export async function readTestPrice(
  client: PublicClient,
  { market }: { market: Address },
  { listingId, sampleCount, policy }: { listingId: bigint; sampleCount: number; policy: { readonly minSamples: number; readonly maxSamples: number } },
): Promise<TestPrice> {
  try {
    const [deposit, fee] = await client.readContract({ address: market, abi: modelMarketAbi, functionName: "testPrice", args: [listingId, sampleCount] });
    return { deposit, fee };
  } catch {
    throw new TestSetError(`listing ${listingId} accepts test sets of ${policy.minSamples} to ${policy.maxSamples} samples, not ${sampleCount}`);
  }
}
