/**
 * The dispute circuits' verification keys the audit trusts to re-verify refunds
 * (scripts/lib/disputeCircuitKeys.ts), injected by the server as
 * `__MODELBAZAAR_VERIFICATION_KEYS__` (scripts/lib/appServer.ts). About 12 KiB of JSON that
 * only proof verification needs: import this module dynamically where a proof is verified
 * (hooks/useAudit.ts), never statically, so the keys stay out of the first load.
 */
import type { RefundDisputeKeys } from "@modelbazaar/sdk/audit";

declare const __MODELBAZAAR_VERIFICATION_KEYS__: RefundDisputeKeys;

export const verificationKeys: RefundDisputeKeys = __MODELBAZAAR_VERIFICATION_KEYS__;
