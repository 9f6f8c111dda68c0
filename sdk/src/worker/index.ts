/**
 * The buyer's side of the worker protocol: EIP-712 upload and delivery authorizations, result
 * headers, the CopyReceipt of a per-buyer copy, WorkerClient (`@modelbazaar/sdk/worker`).
 */
export * from "./copyReceipt.ts";
export * from "./copyReceiptHeaders.ts";
export * from "./deliveryAuthorization.ts";
export * from "./evaluationSpeed.ts";
export * from "./resultHeaders.ts";
export * from "./servedListing.ts";
export * from "./uploadAuthorization.ts";
export * from "./workerClient.ts";
