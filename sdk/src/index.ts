export * from "./auctions/bidCommitment.ts";
export * from "./delivery/buyerDelivery.ts";
export * from "./delivery/chunkMerkle.ts";
export * from "./delivery/sellerDelivery.ts";
export * from "./testDrives/disputeContext.ts";
export * from "./audit/marketBook.ts";
export * from "./testDrives/dataCommitment.ts";
