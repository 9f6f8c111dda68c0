/**
 * The buyer's CKKS client and the HE plan: parameters, SEAL loading, sessions, the MBHE
 * container, metrics and wire sizes (`@modelbazaar/sdk/he`; the Node thread pool is in
 * `@modelbazaar/sdk/node`).
 */
export * from "./buyerSession.ts";
export * from "./container.ts";
export * from "./context.ts";
export * from "./decryptPredictions.ts";
export * from "./heError.ts";
export * from "./levels.ts";
export * from "./metrics.ts";
export * from "./parameters.ts";
export * from "./plan.ts";
export * from "./quantizedPlan.ts";
export * from "./seal.ts";
export * from "./sparseWeights.ts";
export * from "./wireSizes.ts";
