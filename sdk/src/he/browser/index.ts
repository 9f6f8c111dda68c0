/**
 * The buyer's CKKS encryption and decryption in a browser Web Worker
 * (`@modelbazaar/sdk/he/browser`, resolved only under the `browser` condition): node-seal loads
 * in the worker, never on the page's main thread.
 */
export * from "./heInWorker.ts";
export * from "./workerProtocol.ts";
