/**
 * Sealed-bid auctions: terms, bid commitments equal to the contract's, and sealing a bid with a
 * fresh salt (`@modelbazaar/sdk/auctions`).
 */
export * from "./auctionTerms.ts";
export * from "./bidCommitment.ts";
export * from "./sealBid.ts";
export * from "./keptBid.ts";
