/**
 * Sends one transaction for a `bazaar` command and waits for it: a revert (simulated first, so
 * nothing is sent that would fail) becomes a CliError with the contract's custom error in a
 * sentence; a mined but reverted transaction likewise. Returns the receipt.
 *
 * Every transaction a command sends is announced once, as soon as the node has it, on stderr
 * ("<what>: transaction 0x…"), so a person can look it up while it is mined, also with --json
 * (stdout stays the result); the commands' --json results carry the hash as `transaction`.
 *
 * Two commands run at once by the same account (two terminals, a script) read the same next
 * nonce; the node refuses the second transaction as "nonce too low" without executing it, so
 * it is sent again with a fresh nonce (a few times at most) instead of failing.
 */
import { BaseError, NonceTooLowError, type Hash, type PublicClient, type TransactionReceipt } from "viem";
import { decodeRevert } from "@modelbazaar/sdk/errors";
import { CliError } from "./cliError.ts";

/** Sends after a nonce clash before giving up (each clash means another transaction of ours was mined). */
const NONCE_RETRIES = 3;

const isNonceClash = (error: unknown): boolean => error instanceof BaseError && error.walk((e) => e instanceof NonceTooLowError) !== null;

/**
 * `send` performs the write (e.g. `() => contracts.market.write.buy([...], { value })`); viem
 * simulates contract writes before sending, so a custom error surfaces here before any gas is spent.
 */
export async function sendTransaction(publicClient: Pick<PublicClient, "waitForTransactionReceipt">, what: string, send: () => Promise<Hash>): Promise<TransactionReceipt> {
  let hash: Hash | undefined;
  for (let attempt = 0; hash === undefined; ++attempt) {
    try {
      hash = await send();
    } catch (error) {
      if (isNonceClash(error) && attempt < NONCE_RETRIES) continue;
      if (error instanceof BaseError) throw new CliError(`${what} failed: ${decodeRevert(error).sentence}`);
      throw error;
    }
  }
  process.stderr.write(`${what}: transaction ${hash}\n`);
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new CliError(`${what} reverted on-chain (transaction ${hash})`);
  return receipt;
}
