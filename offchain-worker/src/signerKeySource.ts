/**
 * Where the worker's signing key comes from, never argv: MODELBAZAAR_WORKER_KEY (plain hex), or
 * MODELBAZAAR_WORKER_KEYSTORE, an encrypted key file (sdk/src/node/keystore.ts; `bazaar account
 * new` writes one) opened with the password in the file MODELBAZAAR_WORKER_KEYSTORE_PASSWORD_FILE
 * names (systemd credentials, a Docker or Kubernetes secret) or in
 * MODELBAZAAR_WORKER_KEYSTORE_PASSWORD. The worker runs unattended, so it never prompts.
 */
import { readFileSync } from "node:fs";
import { KeystoreError, openKeystoreFile } from "@modelbazaar/sdk/node";
import { ConfigError, SIGNER_KEY_ENV } from "./config.ts";

export const SIGNER_KEYSTORE_ENV = "MODELBAZAAR_WORKER_KEYSTORE";
export const SIGNER_KEYSTORE_PASSWORD_FILE_ENV = "MODELBAZAAR_WORKER_KEYSTORE_PASSWORD_FILE";
export const SIGNER_KEYSTORE_PASSWORD_ENV = "MODELBAZAAR_WORKER_KEYSTORE_PASSWORD";

function keystorePassword(env: NodeJS.ProcessEnv): string {
  const file = env[SIGNER_KEYSTORE_PASSWORD_FILE_ENV];
  if (file) {
    try {
      return readFileSync(file, "utf8").replace(/\r?\n$/, "");
    } catch {
      throw new ConfigError(`cannot read the password file named by ${SIGNER_KEYSTORE_PASSWORD_FILE_ENV}, ${file}`);
    }
  }
  const password = env[SIGNER_KEYSTORE_PASSWORD_ENV];
  if (password === undefined) throw new ConfigError(`${SIGNER_KEYSTORE_ENV} needs its password: set ${SIGNER_KEYSTORE_PASSWORD_FILE_ENV} (a file) or ${SIGNER_KEYSTORE_PASSWORD_ENV}`);
  return password;
}

/**
 * The signer key the environment gives: the plain key when set, else the key file's, decrypted;
 * undefined when neither is set (readConfigFile then names both).
 */
export async function workerSignerKey(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const plain = env[SIGNER_KEY_ENV];
  if (plain) return plain;
  const path = env[SIGNER_KEYSTORE_ENV];
  if (!path) return undefined;
  try {
    return await openKeystoreFile(path, () => keystorePassword(env));
  } catch (error) {
    if (error instanceof KeystoreError) throw new ConfigError(`${error.message} (${SIGNER_KEYSTORE_ENV})`);
    throw error;
  }
}
