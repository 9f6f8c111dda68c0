/**
 * Sealed-bid auctions: terms, bid commitments equal to the contract's, and sealing a bid with a
 * fresh salt, and checking a kept secret against the chain's commitment (`@modelbazaar/sdk/auctions`).
 */
export * from "./auctionTerms.ts";
export * from "./bidCommitment.ts";
export * from "./bidSecret.ts";
export * from "./sealBid.ts";
export * from "./keptBid.ts";
