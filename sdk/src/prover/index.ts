/**
 * Dispute proofs with snarkjs (refund, opening and contest) and their progress
 * (`@modelbazaar/sdk/prover`; the Web Worker prover is `@modelbazaar/sdk/prover/browser`).
 */
export * from "./disputeProof.ts";
export * from "./provingProgress.ts";
