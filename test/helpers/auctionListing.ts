/**
 * An auction-mode listing for the auction tests on a {startCliStack} chain: the iris demo
 * model listed by dev account `seller` in sealed-bid auction mode (there is no worker; the
 * auction flows never call it).
 */
import { parseEventLogs } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { demoListing, devAccountKey } from "../../scripts/lib/demoListings.ts";
import type { CliStack } from "./cliStack.ts";

const AUCTION_MODE = 1;

export async function listAuctionModel(stack: CliStack, seller: number): Promise<bigint> {
  const [terms, offer] = demoListing("iris-logreg", { workerEndpoint: "http://127.0.0.1:1", workerSigner: privateKeyToAccount(devAccountKey(3)).address });
  const hash = await stack.registry.write.list([terms, { ...offer, saleMode: AUCTION_MODE }], { account: privateKeyToAccount(devAccountKey(seller)) });
  const receipt = await stack.publicClient.waitForTransactionReceipt({ hash });
  const [event] = parseEventLogs({ abi: stack.registry.abi, logs: receipt.logs, eventName: "ListingCreated" });
  if (!event) throw new Error("listing the auction model emitted no ListingCreated");
  return event.args.listingId;
}

export function devAddress(account: number): `0x${string}` {
  return privateKeyToAccount(devAccountKey(account)).address;
}
