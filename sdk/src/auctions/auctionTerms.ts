/**
 * The words for an auction's on-chain codes (`ISealedBidAuctions.AuctionKind` and
 * `AuctionStatus`) as the actions and `--json` carry them; people read them through
 * sdk/src/labels/stateLabels.ts.
 */

/** What the winner pays: its own bid, or (second-price, Vickrey) the second-highest valid bid or the reserve. */
export type AuctionKind = "first-price" | "second-price";

/** `AuctionStatus` without `None` (an unknown auction is an error, not a phase). */
export type AuctionPhase = "bidding" | "revealing" | "settleable" | "settled";

const KIND_CODES: Readonly<Record<AuctionKind, number>> = { "first-price": 0, "second-price": 1 };
const PHASES: readonly (AuctionPhase | undefined)[] = [undefined, "bidding", "revealing", "settleable", "settled"];

export function auctionKindCode(kind: AuctionKind): number {
  return KIND_CODES[kind];
}

export function auctionKindOf(code: number): AuctionKind {
  return code === KIND_CODES["second-price"] ? "second-price" : "first-price";
}

/** The phase of an `AuctionStatus` code; undefined for `None` (no such auction). */
export function auctionPhaseOf(code: number): AuctionPhase | undefined {
  return PHASES[code];
}

/** The `AuctionStatus` code of a phase (the inverse of auctionPhaseOf), e.g. for a status badge. */
export function auctionStatusCode(phase: AuctionPhase): number {
  return PHASES.indexOf(phase);
}
