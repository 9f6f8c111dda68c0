/**
 * Test-drives: quantized features, commitments, salts, the dispute context, refund shares and
 * the circuits' inputs (`@modelbazaar/sdk/testDrives`).
 */
export * from "./challengeCommitment.ts";
export * from "./challengeIndices.ts";
export * from "./dataCommitmentV2.ts";
export * from "./derivedSalts.ts";
export * from "./disputeContext.ts";
export * from "./disputeContextV2.ts";
export * from "./featureRows.ts";
export * from "./featuresRoot.ts";
export * from "./fieldElement.ts";
export * from "./findCopyReceipt.ts";
export * from "./gradedRefund.ts";
export * from "./keptTestDrive.ts";
export * from "./labelledCsv.ts";
export * from "./openCircuitInput.ts";
export * from "./poseidonChain.ts";
export * from "./poseidonMerkle.ts";
export * from "./predictionCommitment.ts";
export * from "./quantizeFeatures.ts";
export * from "./refundCircuitInput.ts";
export * from "./refundShares.ts";
export * from "./sampleDigest.ts";
export * from "./sampleOpening.ts";
export * from "./testDriveEstimate.ts";
