/**
 * The status an entity of the explorer is in now, as the contracts compute it (a listing's,
 * test-drive's, auction's or purchase's status view; a refunded test-drive's phase for a
 * dispute): the enum and its code, which people read by the enum's labels
 * (sdk/src/labels/stateLabels.ts), so the dApp's badge says what `bazaar status` says.
 */
import type { Address, PublicClient } from "viem";
import type { EntityKind } from "../explorer/explorerEntry.ts";
import { modelMarketAbi, modelRegistryAbi } from "../generated/abis.ts";
import type { StateEnum } from "../labels/stateLabels.ts";

/** Which enum each kind's status is a member of. */
const STATUS_ENUM_OF: Readonly<Record<EntityKind, StateEnum>> = {
  listing: "ListingStatus",
  test: "TestStatus",
  dispute: "TestPhase",
  auction: "AuctionStatus",
  purchase: "PurchaseStatus",
};

export interface EntityStatus {
  readonly enumName: StateEnum;
  /** The enum value, e.g. 6 (PurchaseStatus.ComplaintWindow, "key revealed"). */
  readonly code: number;
}

async function statusCode(client: PublicClient, { market, registry }: { market: Address; registry: Address }, kind: EntityKind, id: bigint): Promise<number> {
  switch (kind) {
    case "listing":
      return (await client.readContract({ address: registry, abi: modelRegistryAbi, functionName: "getListing", args: [id] })).status;
    case "test":
      return client.readContract({ address: market, abi: modelMarketAbi, functionName: "testStatus", args: [id] });
    case "dispute":
      return (await client.readContract({ address: market, abi: modelMarketAbi, functionName: "getTest", args: [id] })).phase;
    case "auction":
      return client.readContract({ address: market, abi: modelMarketAbi, functionName: "auctionStatus", args: [id] });
    case "purchase":
      return client.readContract({ address: market, abi: modelMarketAbi, functionName: "purchaseStatus", args: [id] });
  }
}

/** The entity's status now. */
export async function readEntityStatus(client: PublicClient, deployment: { market: Address; registry: Address }, kind: EntityKind, id: bigint): Promise<EntityStatus> {
  return { enumName: STATUS_ENUM_OF[kind], code: await statusCode(client, deployment, kind, id) };
}
