export * from "./auctions/bidCommitment.js";
export * from "./delivery/buyerDelivery.js";
export * from "./delivery/chunkMerkle.js";
export * from "./delivery/sellerDelivery.js";
export * from "./testDrives/disputeContext.js";
export * from "./audit/marketBook.js";
export * from "./testDrives/dataCommitment.js";
