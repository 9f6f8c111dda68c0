/**
 * Fair delivery: the chunk Merkle codec, the seller's and the buyer's sides, the delivery file
 * and package (`@modelbazaar/sdk/delivery`).
 */
export * from "./buyerDelivery.ts";
export * from "./chunkMerkle.ts";
export * from "./deliveryFile.ts";
export * from "./deliveryPackage.ts";
export * from "./modelRoot.ts";
export * from "./sellerDelivery.ts";
