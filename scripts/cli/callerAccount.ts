/**
 * Whose next step a read-only `bazaar status` command tells: `--account <address>` if given,
 * else the configured account (MODELBAZAAR_PRIVATE_KEY's, or the address MODELBAZAAR_KEYSTORE's
 * key file states: no password needed), else nobody in particular.
 */
import type { Address } from "viem";
import { configuredAddress } from "./signerKey.ts";
import { parseAddress } from "./values.ts";

export function callerAccount(flag: string | undefined): Address | undefined {
  return flag !== undefined ? parseAddress(flag, "--account") : configuredAddress();
}
