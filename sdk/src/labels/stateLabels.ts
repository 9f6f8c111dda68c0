/**
 * The one name people read for each state and kind of the market, shared by the CLI's text
 * output and the dApp (status badges, the audit tables, the explorer's decoded enums), so a
 * purchase "key revealed" in `bazaar status purchase` is "key revealed" on its explorer page.
 *
 * Keyed by the contracts' enum names and members (in declaration order, which a test checks
 * against contracts/interfaces/); `--json` output keeps the members' names for scripts.
 */
import type { AuctionKind, AuctionPhase } from "../auctions/auctionTerms.ts";

export const STATE_LABELS = {
  ListingStatus: { None: "unknown", Active: "active", Paused: "paused", Delisted: "delisted" },
  SaleMode: { FixedPrice: "fixed price", Auction: "auction" },
  PlanFamily: { None: "none", Linear: "linear", SquareMlp: "square MLP" },
  TestStatus: {
    None: "unknown",
    AwaitingReceipt: "awaiting receipt",
    Unserved: "unserved",
    Evaluated: "evaluated",
    Forfeitable: "forfeitable",
    Closed: "closed",
    Disputed: "disputed",
  },
  /** How a test-drive stands or ended (its outcome once closed). */
  TestPhase: {
    Open: "open",
    Evaluated: "evaluated",
    Refunded: "refunded",
    Unserved: "unserved",
    Forfeited: "forfeited",
    AppliedToPurchase: "applied to a purchase",
    AppliedToBid: "applied to a bid",
    Disputed: "disputed",
    RefundRejected: "refund rejected",
  },
  DisputePhase: { None: "none", Claimed: "refund claimed", Contested: "contested", Opened: "samples opened", BuyerWon: "buyer won", SellerWon: "seller won" },
  DisputeEnd: {
    Uncontested: "not contested",
    Unproven: "no mismatch proven",
    Mismatch: "mismatch proven",
    InvalidOpening: "invalid opening",
    PredictionOutOfRange: "prediction out of range",
    NotOpened: "samples not opened",
  },
  Settlement: { Pending: "pending", Completed: "completed", Refunded: "refunded" },
  RefundReason: { DeliveryMissed: "delivery missed", DeliveryRejected: "delivery rejected", KeyMissed: "key missed", ComplaintUpheld: "complaint upheld" },
  PurchaseStatus: {
    None: "unknown",
    AwaitingDelivery: "awaiting delivery",
    DeliveryOverdue: "delivery overdue",
    AwaitingAcceptance: "awaiting acceptance",
    AwaitingKey: "awaiting key",
    KeyOverdue: "key overdue",
    ComplaintWindow: "key revealed",
    Completable: "ready to complete",
    Completed: "completed",
    Refunded: "refunded",
  },
  AuctionKind: { FirstPrice: "first-price", SecondPrice: "second-price" },
  AuctionStatus: { None: "unknown", Committing: "bidding", Revealing: "revealing", Settleable: "ready to settle", Settled: "settled" },
} as const satisfies Readonly<Record<string, Readonly<Record<string, string>>>>;

export type StateEnum = keyof typeof STATE_LABELS;
export type StateMember<E extends StateEnum> = keyof (typeof STATE_LABELS)[E] & string;

/** The label of member `member` of enum `enumName`, e.g. ("PurchaseStatus", "ComplaintWindow") -> "key revealed". */
export function stateLabel<E extends StateEnum>(enumName: E, member: StateMember<E>): string {
  return (STATE_LABELS[enumName] as Readonly<Record<string, string>>)[member]!;
}

/** The label of the enum value `code` as the contract returns it; undefined for a code the enum does not have. */
export function stateLabelOfCode(enumName: StateEnum, code: number | bigint): string | undefined {
  return Object.values(STATE_LABELS[enumName] as Readonly<Record<string, string>>)[Number(code)];
}

const AUCTION_STATUS_OF: Readonly<Record<AuctionPhase, StateMember<"AuctionStatus">>> = { bidding: "Committing", revealing: "Revealing", settleable: "Settleable", settled: "Settled" };
const AUCTION_KIND_OF: Readonly<Record<AuctionKind, StateMember<"AuctionKind">>> = { "first-price": "FirstPrice", "second-price": "SecondPrice" };

/** An auction's phase as the SDK reads it (readAuction), by its label. */
export const auctionPhaseLabel = (phase: AuctionPhase): string => stateLabel("AuctionStatus", AUCTION_STATUS_OF[phase]);

/** An auction's kind as the SDK reads it, by its label. */
export const auctionKindLabel = (kind: AuctionKind): string => stateLabel("AuctionKind", AUCTION_KIND_OF[kind]);
