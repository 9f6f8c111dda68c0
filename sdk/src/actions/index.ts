/**
 * The SDK's actions, one per file, client first: reading listings, test-drives, disputes,
 * auctions and purchases, and every transaction a buyer or seller sends
 * (`@modelbazaar/sdk/actions`).
 */
export * from "./auctionRefusals.ts";
export * from "./buyListing.ts";
export * from "./checkCopyReceipt.ts";
export * from "./commitBid.ts";
export * from "./createAuction.ts";
export * from "./explainCredits.ts";
export * from "./fetchPredictions.ts";
export * from "./fetchPurchaseDelivery.ts";
export * from "./findBidTestDrives.ts";
export * from "./findPayouts.ts";
export * from "./findPurchases.ts";
export * from "./getTestReceipt.ts";
export * from "./keptTestSet.ts";
export * from "./listingTestSet.ts";
export * from "./manageListing.ts";
export * from "./marketHandles.ts";
export * from "./prepareGradedRefund.ts";
export * from "./prepareSampleOpening.ts";
export * from "./prepareTestSet.ts";
export * from "./proveContest.ts";
export * from "./proveGradedRefund.ts";
export * from "./proveSampleOpening.ts";
export * from "./readAuction.ts";
export * from "./readDispute.ts";
export * from "./readEntityStatus.ts";
export * from "./readListing.ts";
export * from "./readListingAuctions.ts";
export * from "./readListings.ts";
export * from "./readMarketDomain.ts";
export * from "./readPurchase.ts";
export * from "./readTest.ts";
export * from "./readTestPrice.ts";
export * from "./reclaimBid.ts";
export * from "./revealBid.ts";
export * from "./settleAuction.ts";
export * from "./unknownIdError.ts";
export * from "./uploadTestSet.ts";
