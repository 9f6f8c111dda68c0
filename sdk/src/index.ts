/**
 * `@modelbazaar/sdk`: everything that runs in a browser as well as in Node, one `export *` per
 * domain (each also has its own entry, e.g. `@modelbazaar/sdk/actions`). Nothing reachable from
 * here imports a Node built-in (test/sdk/packageResolution.test.ts); the Node-only parts are
 * `@modelbazaar/sdk/node` and the Web Worker prover is `@modelbazaar/sdk/prover/browser`.
 * Bundlers keep only what an app uses (the package declares `"sideEffects": false`).
 */
export * from "./actions/index.ts";
export * from "./auctions/index.ts";
export * from "./audit/index.ts";
export * from "./client/index.ts";
export * from "./delivery/index.ts";
export * from "./disputes/index.ts";
export * from "./errors/contractErrors.ts";
export * from "./explorer/index.ts";
export * from "./generated/abis.ts";
export * from "./he/index.ts";
export * from "./labels/index.ts";
export * from "./listings/index.ts";
export * from "./prover/index.ts";
export * from "./recommend/index.ts";
export * from "./protection/index.ts";
export * from "./testDrives/index.ts";
export * from "./worker/index.ts";
