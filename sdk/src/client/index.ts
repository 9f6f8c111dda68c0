/**
 * Deployment records and typed contract instances over the generated ABIs
 * (`@modelbazaar/sdk/client`).
 */
export * from "./contracts.ts";
export * from "./deployment.ts";
export * from "./keptRecordFields.ts";
