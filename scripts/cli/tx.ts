/**
 * Sends one transaction for a `bazaar` command and waits for it: a revert (simulated first, so
 * nothing is sent that would fail) becomes a CliError with the contract's custom error in a
 * sentence; a mined but reverted transaction likewise. Returns the receipt.
 */
import { BaseError, type Hash, type PublicClient, type TransactionReceipt } from "viem";
import { decodeRevert } from "../../sdk/src/errors/contractErrors.ts";
import { CliError } from "./cliError.ts";

/**
 * `send` performs the write (e.g. `() => contracts.market.write.buy([...], { value })`); viem
 * simulates contract writes before sending, so a custom error surfaces here before any gas is spent.
 */
export async function sendTransaction(publicClient: PublicClient, what: string, send: () => Promise<Hash>): Promise<TransactionReceipt> {
  let hash: Hash;
  try {
    hash = await send();
  } catch (error) {
    if (error instanceof BaseError) throw new CliError(`${what} failed: ${decodeRevert(error).sentence}`);
    throw error;
  }
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new CliError(`${what} reverted on-chain (transaction ${hash})`);
  return receipt;
}
