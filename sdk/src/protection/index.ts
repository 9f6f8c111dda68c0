/**
 * Model protection: the backdoor watermark a listing commits to (ownership claims) and the
 * per-buyer fingerprints that trace a leaked copy (docs/PROTOCOL.md §7, docs/THREAT-MODEL.md).
 */
export * from "./binomialTest.ts";
export * from "./triggerEvidence.ts";
export * from "./watermarkReveal.ts";
export * from "./fingerprint.ts";
export * from "./keyedUniform.ts";
export * from "./fingerprintLedger.ts";
export * from "./triggerSet.ts";
export * from "./fingerprintTrace.ts";
