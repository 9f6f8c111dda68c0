/**
 * The dispute prover in a browser Web Worker (`@modelbazaar/sdk/prover/browser`, resolved only
 * under the `browser` condition): artifact download with progress and magic checks, cancellation.
 */
export * from "./fetchArtifact.ts";
export * from "./proveInWorker.ts";
export * from "./workerProtocol.ts";
