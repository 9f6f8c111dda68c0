/**
 * The SDK's Node-only parts (`@modelbazaar/sdk/node`, resolved only under the `node` condition,
 * so a browser bundle that imports it fails to build): encrypted key files (node:crypto, node:fs)
 * and the buyer's encryption thread pool (node:worker_threads).
 */
export * from "./keystore.ts";
export * from "../he/node/encryptionPool.ts";
