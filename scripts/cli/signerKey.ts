/**
 * Where `bazaar` gets the key it signs with, never from argv (other users of a machine can read
 * it): MODELBAZAAR_PRIVATE_KEY (plain hex: for scripts and development chains), else
 * MODELBAZAAR_KEYSTORE, an encrypted key file (sdk/src/node/keystore.ts; `bazaar account new` makes one),
 * opened with MODELBAZAAR_KEYSTORE_PASSWORD or a password typed at the terminal.
 */
import { isHex, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { CliError } from "./cliError.ts";
import { keystoreAddress, KeystoreError, openKeystoreFile, readKeystoreFile } from "@modelbazaar/sdk/node";
import { readPassword } from "./passwordPrompt.ts";

export const PRIVATE_KEY_ENV = "MODELBAZAAR_PRIVATE_KEY";
export const KEYSTORE_ENV = "MODELBAZAAR_KEYSTORE";
export const KEYSTORE_PASSWORD_ENV = "MODELBAZAAR_KEYSTORE_PASSWORD";

const isPrivateKey = (key: string | undefined): key is Hex => key !== undefined && isHex(key) && key.length === 66;

/** What is wrong with a malformed key, without repeating it (it may be most of a real key). */
function malformation(key: string): string {
  const trimmed = key.trim();
  if (trimmed !== key) return "it has spaces or a line break around it";
  const digits = trimmed.startsWith("0x") || trimmed.startsWith("0X") ? trimmed.slice(2) : trimmed;
  if (!/^[0-9a-fA-F]*$/.test(digits)) return "it has characters that are not hex digits";
  if (digits.length === 64) return "it lacks the 0x prefix";
  return `it has ${digits.length} hex digits, not 64`;
}

/** The private key in MODELBAZAAR_PRIVATE_KEY, checked; undefined when the variable is unset. */
export function privateKeyFromEnv(): Hex | undefined {
  const key = process.env[PRIVATE_KEY_ENV];
  if (!key) return undefined;
  if (!isPrivateKey(key)) throw new CliError(`${PRIVATE_KEY_ENV} is set but malformed: a private key is 0x followed by 64 hex digits, and ${malformation(key)}`);
  return key;
}

/** The key to sign with, from the environment or the key file; a sentence when there is none. */
export async function signerKey(): Promise<Hex> {
  const key = privateKeyFromEnv();
  if (key) return key;
  const path = process.env[KEYSTORE_ENV];
  if (!path) {
    throw new CliError(`set ${KEYSTORE_ENV} to your encrypted key file (make one with \`bazaar account new <file>\`), or ${PRIVATE_KEY_ENV} to a private key`);
  }
  try {
    return await openKeystoreFile(path, () => process.env[KEYSTORE_PASSWORD_ENV] ?? readPassword(`password for ${path}: `, KEYSTORE_PASSWORD_ENV));
  } catch (error) {
    if (error instanceof KeystoreError) throw new CliError(`${error.message} (${KEYSTORE_ENV})`);
    throw error;
  }
}

/**
 * The user's address without asking for a password: the private key's, else the address the
 * key file states in clear; undefined when neither is configured. A malformed key or an
 * unreadable key file is a sentence saying so, never taken for "no account".
 */
export function configuredAddress(): Address | undefined {
  const key = privateKeyFromEnv();
  if (key) return privateKeyToAccount(key).address;
  const path = process.env[KEYSTORE_ENV];
  if (!path) return undefined;
  try {
    return keystoreAddress(readKeystoreFile(path));
  } catch (error) {
    if (error instanceof KeystoreError) throw new CliError(`${error.message} (${KEYSTORE_ENV})`);
    throw error;
  }
}
