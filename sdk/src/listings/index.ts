/**
 * Listings: terms files, dispute policies, the model card, class labels and a task's fit to its
 * ONNX model (`@modelbazaar/sdk/listings`).
 */
export * from "./classLabels.ts";
export * from "./disputePolicy.ts";
export * from "./extractionCost.ts";
export * from "./extractionPolicy.ts";
export * from "./policySuggestionText.ts";
export * from "./listingCard.ts";
export * from "./listingMetadata.ts";
export * from "./listingSearch.ts";
export * from "./listingSpec.ts";
export * from "./modelFit.ts";
export * from "./modelSignature.ts";
export * from "./onnxSignature.ts";
export * from "./prepareListing.ts";
export * from "./termsMetadata.ts";
