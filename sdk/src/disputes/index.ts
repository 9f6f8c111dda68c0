/**
 * Refund disputes: the seller's plan commitment and salt, contest inputs, contestable policies
 * and the economics of a dishonest dispute (`@modelbazaar/sdk/disputes`).
 */
export * from "./contestLinearInput.ts";
export * from "./contestMeta.ts";
export * from "./contestSquareMlpInput.ts";
export * from "./contestablePolicy.ts";
export * from "./disputeEconomics.ts";
export * from "./planCommitment.ts";
export * from "./planSalt.ts";
