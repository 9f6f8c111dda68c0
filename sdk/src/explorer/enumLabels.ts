/**
 * Names of the contracts' enum members, keyed by the ABI's `internalType` ("enum
 * ITestDrives.TestPhase"): ABIs carry an enum as a bare uint8, so the explorer would otherwise
 * print "outcome 2" where the contract means "Refunded". A test checks this table against
 * the enums declared in contracts/interfaces/; an enum missing here is shown as its number.
 * People read a member by its label (sdk/src/labels/stateLabels.ts), as the CLI prints it.
 */
import { STATE_LABELS, stateLabelOfCode, type StateEnum } from "../labels/stateLabels.ts";

export const ENUM_LABELS: Readonly<Record<string, readonly string[]>> = {
  "enum IModelRegistry.SaleMode": ["FixedPrice", "Auction"],
  "enum IModelRegistry.ListingStatus": ["None", "Active", "Paused", "Delisted"],
  "enum IModelRegistry.PlanFamily": ["None", "Linear", "SquareMlp"],
  "enum IRefundDisputes.DisputePhase": ["None", "Claimed", "Contested", "Opened", "BuyerWon", "SellerWon"],
  "enum IRefundDisputes.DisputeEnd": ["Uncontested", "Unproven", "Mismatch", "InvalidOpening", "PredictionOutOfRange", "NotOpened"],
  "enum ITestDrives.TestPhase": ["Open", "Evaluated", "Refunded", "Unserved", "Forfeited", "AppliedToPurchase", "AppliedToBid", "Disputed", "RefundRejected"],
  "enum ITestDrives.TestStatus": ["None", "AwaitingReceipt", "Unserved", "Evaluated", "Forfeitable", "Closed", "Disputed"],
  "enum IFairExchange.Settlement": ["Pending", "Completed", "Refunded"],
  "enum IFairExchange.RefundReason": ["DeliveryMissed", "DeliveryRejected", "KeyMissed", "ComplaintUpheld"],
  "enum IFairExchange.PurchaseStatus": ["None", "AwaitingDelivery", "DeliveryOverdue", "AwaitingAcceptance", "AwaitingKey", "KeyOverdue", "ComplaintWindow", "Completable", "Completed", "Refunded"],
  "enum ISealedBidAuctions.AuctionKind": ["FirstPrice", "SecondPrice"],
  "enum ISealedBidAuctions.AuctionStatus": ["None", "Committing", "Revealing", "Settleable", "Settled"],
};

const enumIndex = (value: unknown): number => (typeof value === "bigint" || typeof value === "number" ? Number(value) : Number.NaN);

/** The member name of enum value `value` of the ABI type `internalType`, if known. */
export function enumMember(internalType: string | undefined, value: unknown): string | undefined {
  if (internalType === undefined || !internalType.startsWith("enum ")) return undefined;
  return ENUM_LABELS[internalType]?.[enumIndex(value)];
}

/** The label people read for enum value `value` of the ABI type `internalType` ("enum IFairExchange.PurchaseStatus", 6 -> "key revealed"), if known. */
export function enumLabel(internalType: string | undefined, value: unknown): string | undefined {
  const enumName = internalType?.split(".").pop();
  if (enumMember(internalType, value) === undefined || enumName === undefined || !(enumName in STATE_LABELS)) return undefined;
  return stateLabelOfCode(enumName as StateEnum, enumIndex(value));
}
