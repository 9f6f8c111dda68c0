/**
 * The test-drives whose deposit a bidder can apply to a bid in an auction of `listingId`
 * (`bazaar bid --test <testId>`, the dApp's bid form): the bidder's test-drives of that listing,
 * found from the `TestOpened` events (listing and buyer are indexed topics, so the node filters
 * them) and from any ids the client kept itself, that are evaluated now (receipt recorded,
 * dispute window open). Only such a test-drive's deposit joins the bid's collateral; the
 * market checks the same when the bid is committed (ITestDrives, `_depositForBid`).
 */
import { isAddressEqual, type Address, type PublicClient } from "viem";
import { modelMarketAbi } from "../generated/abis.ts";
import { readTest, type TestView } from "./readTest.ts";
import { UnknownIdError } from "./unknownIdError.ts";

export interface BidTestDrive {
  readonly testId: bigint;
  /** What joins the bid's collateral. */
  readonly deposit: bigint;
  /** Unix seconds when its dispute window closes: after that its deposit no longer moves. */
  readonly deadline?: bigint;
}

export async function findBidTestDrives(
  client: PublicClient,
  { market, registry, startBlock }: { market: Address; registry: Address; startBlock: bigint },
  listingId: bigint,
  bidder: Address,
  keptTestIds: readonly bigint[] = [],
): Promise<BidTestDrive[]> {
  const opened = await client.getContractEvents({ address: market, abi: modelMarketAbi, eventName: "TestOpened", args: { listingId, buyer: bidder }, fromBlock: startBlock, strict: true });
  const ids = [...new Set([...opened.map(({ args }) => args.testId), ...keptTestIds])].sort((a, b) => (a < b ? 1 : -1));
  const views = await Promise.all(ids.map((testId) => readKnownTest(client, { market, registry }, testId)));
  return views.flatMap((view) =>
    view !== undefined && view.status === "Evaluated" && BigInt(view.test.listingId) === listingId && isAddressEqual(view.test.buyer, bidder)
      ? [{ testId: view.testId, deposit: view.deposit, deadline: view.deadline }]
      : [],
  );
}

/** The test-drive, or undefined for an id this market never opened (a kept id from another chain's past). */
async function readKnownTest(client: PublicClient, addresses: { market: Address; registry: Address }, testId: bigint): Promise<TestView | undefined> {
  try {
    return await readTest(client, addresses, testId);
  } catch (error) {
    if (error instanceof UnknownIdError) return undefined;
    throw error;
  }
}
