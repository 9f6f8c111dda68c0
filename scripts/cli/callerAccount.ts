/**
 * Whose next step a read-only `bazaar status` command tells: `--account <address>` if given,
 * else the account of MODELBAZAAR_PRIVATE_KEY when it is set, else nobody in particular.
 */
import { isHex, type Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { PRIVATE_KEY_ENV } from "./session.ts";
import { parseAddress } from "./values.ts";

export function callerAccount(flag: string | undefined): Address | undefined {
  if (flag !== undefined) return parseAddress(flag, "--account");
  const key = process.env[PRIVATE_KEY_ENV];
  return key && isHex(key) && key.length === 66 ? privateKeyToAccount(key).address : undefined;
}
