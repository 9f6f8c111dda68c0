export * from "./auctions/bidCommitment.js";
export * from "./delivery/chunkMerkle.js";
export * from "./delivery/complaint.js";
export * from "./testDrives/disputeContext.js";
