/**
 * Everything the market and the registry could pay `account` now (what `bazaar withdraw`
 * collects): the ledger's credit (with its sources: explainCredits.ts), purchases it sold that are `Completable`, purchases it
 * bought whose delivery or key deadline passed, its unserved test-drives, forfeitable
 * deposits of test-drives of its listings, and the registry's promotion fees if it owns it.
 */
import { isAddressEqual, type Address, type PublicClient } from "viem";
import { modelMarketAbi, modelRegistryAbi } from "../generated/abis.ts";
import { explainCredits, type LedgerCredit } from "./explainCredits.ts";
import { PURCHASE_STATUSES } from "./readPurchase.ts";
import { TEST_STATUSES } from "./readTest.ts";

export interface Payouts {
  /** The ledger's credit (`owed`). */
  owed: bigint;
  /** What `owed` pays for, credit by credit (e.g. "payment for purchase 1"); empty when nothing is owed. */
  credits: LedgerCredit[];
  /** Purchases sold by `account` whose complaint window passed: `completePurchase` pays it. */
  completable: bigint[];
  /** Purchases bought by `account` past a deadline the seller missed: `refundPurchase` refunds it. */
  refundable: bigint[];
  /** Test-drives of `account` the worker never served: `refundUnserved` returns deposit and fee. */
  unserved: bigint[];
  /** Test-drives of `account`'s listings past their dispute window: `forfeitDeposit` pays the deposit. */
  forfeitable: bigint[];
  /** Promotion fees, when `account` owns the registry. */
  promotionFees: bigint;
}

export async function findPayouts(client: PublicClient, { market, registry, startBlock }: { market: Address; registry: Address; startBlock: bigint }, account: Address): Promise<Payouts> {
  const events = { address: market, abi: modelMarketAbi, fromBlock: startBlock, strict: true } as const;
  const [owed, owner, fees, purchases, tests] = await Promise.all([
    client.readContract({ address: market, abi: modelMarketAbi, functionName: "owed", args: [account] }),
    client.readContract({ address: registry, abi: modelRegistryAbi, functionName: "owner" }),
    client.readContract({ address: registry, abi: modelRegistryAbi, functionName: "promotionFees" }),
    client.getContractEvents({ ...events, eventName: "PurchaseOpened" }),
    client.getContractEvents({ ...events, eventName: "TestOpened" }),
  ]);
  const purchaseStatus = async (id: bigint) => PURCHASE_STATUSES[await client.readContract({ address: market, abi: modelMarketAbi, functionName: "purchaseStatus", args: [id] })];
  const testStatus = async (id: bigint) => TEST_STATUSES[await client.readContract({ address: market, abi: modelMarketAbi, functionName: "testStatus", args: [id] })];
  const sellerOf = async (listingId: bigint) => (await client.readContract({ address: registry, abi: modelRegistryAbi, functionName: "workerOf", args: [listingId] }))[0];
  const where = async <T>(items: readonly T[], keep: (item: T) => Promise<boolean>) => (await Promise.all(items.map(async (item) => ((await keep(item)) ? [item] : [])))).flat();

  const sold = purchases.filter((e) => isAddressEqual(e.args.seller, account));
  const bought = purchases.filter((e) => isAddressEqual(e.args.buyer, account));
  const myTests = tests.filter((e) => isAddressEqual(e.args.buyer, account));
  const completable = await where(sold, async (e) => (await purchaseStatus(e.args.purchaseId)) === "Completable");
  const refundable = await where(bought, async (e) => ["DeliveryOverdue", "KeyOverdue"].includes((await purchaseStatus(e.args.purchaseId)) ?? ""));
  const unserved = await where(myTests, async (e) => (await testStatus(e.args.testId)) === "Unserved");
  const forfeitable = await where(tests, async (e) => (await testStatus(e.args.testId)) === "Forfeitable" && isAddressEqual(await sellerOf(e.args.listingId), account));
  return {
    owed,
    credits: await explainCredits(client, { market, startBlock }, account, owed),
    completable: completable.map((e) => e.args.purchaseId),
    refundable: refundable.map((e) => e.args.purchaseId),
    unserved: unserved.map((e) => e.args.testId),
    forfeitable: forfeitable.map((e) => e.args.testId),
    promotionFees: isAddressEqual(owner, account) ? fees : 0n,
  };
}
