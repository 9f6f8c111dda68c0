/**
 * `bazaar account new <file>` and `bazaar account import <file>`: write an encrypted key file
 * (Web3 Secret Storage v3, sdk/src/node/keystore.ts) for a fresh key or for MODELBAZAAR_PRIVATE_KEY's, then
 * point MODELBAZAAR_KEYSTORE at it so no plain key needs to stay in the environment. The
 * password comes from MODELBAZAAR_KEYSTORE_PASSWORD or is typed twice at the terminal. An
 * existing file is never overwritten; the new one is readable by its owner only.
 * `bazaar account show`: the configured account (no password needed), its balance and what
 * `bazaar withdraw` would collect for it now.
 */
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { formatEther, type Hex } from "viem";
import { describeCredits, findPayouts } from "@modelbazaar/sdk/actions";
import { callerAccount } from "../callerAccount.ts";
import { addChainOptions } from "../chainOptions.ts";
import { readSession, type ChainOptions } from "../session.ts";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { CliError } from "../cliError.ts";
import { encryptKeystore } from "@modelbazaar/sdk/node";
import { printResult, type GlobalOptions } from "../output.ts";
import { readPassword } from "../passwordPrompt.ts";
import { KEYSTORE_ENV, KEYSTORE_PASSWORD_ENV, PRIVATE_KEY_ENV, privateKeyFromEnv } from "../signerKey.ts";

async function showAccount(options: ChainOptions & { account?: string }, globals: () => GlobalOptions): Promise<void> {
  const address = callerAccount(options.account);
  if (!address && process.env[KEYSTORE_ENV]) throw new CliError(`the key file ${process.env[KEYSTORE_ENV]} (${KEYSTORE_ENV}) does not state its address in clear: pass --account <address>`);
  if (!address) throw new CliError(`no account is configured: set ${KEYSTORE_ENV} or ${PRIVATE_KEY_ENV}, or pass --account <address>`);
  const session = await readSession(options);
  const [balance, due] = await Promise.all([session.publicClient.getBalance({ address }), findPayouts(session.publicClient, session.deployment, address)]);
  const pending = [
    due.owed > 0n ? `${formatEther(due.owed)} ETH: ${describeCredits(due.credits, (wei) => `${formatEther(wei)} ETH`)}` : "",
    due.completable.length > 0 ? `payment of purchases ${due.completable.join(", ")}` : "",
    due.refundable.length > 0 ? `refunds of purchases ${due.refundable.join(", ")}` : "",
    due.unserved.length > 0 ? `refunds of unserved test-drives ${due.unserved.join(", ")}` : "",
    due.forfeitable.length > 0 ? `forfeited deposits of test-drives ${due.forfeitable.join(", ")}` : "",
    due.promotionFees > 0n ? `${formatEther(due.promotionFees)} ETH of promotion fees` : "",
  ].filter((line) => line !== "");
  printResult(globals(), { address, balance, withdrawable: due }, () =>
    [`${address}: ${formatEther(balance)} ETH`, pending.length === 0 ? "nothing to withdraw now." : `\`bazaar withdraw\` would collect: ${pending.join("; ")}.`].join("\n"),
  );
}

async function newPassword(file: string): Promise<string> {
  const fromEnv = process.env[KEYSTORE_PASSWORD_ENV];
  const password = fromEnv ?? (await readPassword(`new password for ${file}: `, KEYSTORE_PASSWORD_ENV));
  if (fromEnv === undefined && (await readPassword("repeat it: ", KEYSTORE_PASSWORD_ENV)) !== password) throw new CliError("the two passwords differ; nothing was written");
  if (password.length === 0) throw new CliError("refusing an empty password");
  return password;
}

async function writeKeyFile(file: string, key: Hex, globals: () => GlobalOptions): Promise<void> {
  const keystore = await encryptKeystore(key, await newPassword(file));
  try {
    writeFileSync(file, `${JSON.stringify(keystore, null, 2)}\n`, { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new CliError(`${file} exists; choose another file (a key file is never overwritten)`);
    throw error;
  }
  const address = privateKeyToAccount(key).address;
  printResult(globals(), { address, file }, () => `${address}: key file ${file} written.\nuse it with: export ${KEYSTORE_ENV}=${file}`);
}

export function registerAccount(account: Command, globals: () => GlobalOptions): void {
  addChainOptions(account.command("show").description("your account's address, balance and what `bazaar withdraw` would collect now (no password needed)"))
    .option("--account <address>", "another account to show (default: your configured account)")
    .action((options: ChainOptions & { account?: string }) => showAccount(options, globals));
  account
    .command("new")
    .description("make a new account and save its key encrypted in <file>")
    .argument("<file>", "the key file to write (must not exist)")
    .action((file: string) => writeKeyFile(file, generatePrivateKey(), globals));
  account
    .command("import")
    .description(`save ${PRIVATE_KEY_ENV}'s key encrypted in <file>`)
    .argument("<file>", "the key file to write (must not exist)")
    .action(async (file: string) => {
      const key = privateKeyFromEnv();
      if (!key) throw new CliError(`set ${PRIVATE_KEY_ENV} to the key to import`);
      await writeKeyFile(file, key, globals);
    });
}
