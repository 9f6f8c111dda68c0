/**
 * scripts/cli/tx.ts in isolation (the node is stubbed: only its receipt wait): a transaction the
 * node refused as "nonce too low" (another command of the same account took the nonce) is sent
 * again, a few times at most; any other failure is one sentence at once; the hash of what it sent
 * is printed once, on stderr. The race itself runs
 * for real in auctionErrors.test.ts, which creates two auctions at once as the same seller.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BaseError, NonceTooLowError, TransactionExecutionError, type Hash, type TransactionReceipt } from "viem";
import { CliError } from "../../scripts/cli/cliError.ts";
import { sendTransaction } from "../../scripts/cli/tx.ts";

const HASH = `0x${"ab".repeat(32)}` as Hash;
const mined = { waitForTransactionReceipt: async () => ({ status: "success" }) as TransactionReceipt };
/** How viem reports the node's refusal of a stale nonce. */
const clash = () => new TransactionExecutionError(new NonceTooLowError(), { account: null, chain: undefined });

/** A `send` that fails with `failures` in turn, then returns HASH; counts its calls. */
function sender(failures: readonly Error[]) {
  const calls = { count: 0 };
  const send = async (): Promise<Hash> => {
    const failure = failures[calls.count++];
    if (failure) throw failure;
    return HASH;
  };
  return { send, calls };
}

describe("sendTransaction", () => {
  it("sends again after a nonce clash with another command of the same account", async () => {
    const { send, calls } = sender([clash(), clash()]);
    const receipt = await sendTransaction(mined, "creating the auction", send);
    assert.equal(receipt.status, "success");
    assert.equal(calls.count, 3);
  });

  it("gives up after three resends, with one sentence", async () => {
    const { send, calls } = sender([clash(), clash(), clash(), clash()]);
    await assert.rejects(sendTransaction(mined, "creating the auction", send), (e: unknown) => e instanceof CliError && /^creating the auction failed: /.test(e.message));
    assert.equal(calls.count, 4);
  });

  it("does not resend after any other failure", async () => {
    const { send, calls } = sender([new TransactionExecutionError(new BaseError("insufficient funds"), { account: null, chain: undefined })]);
    await assert.rejects(sendTransaction(mined, "buying listing 1", send), (e: unknown) => e instanceof CliError && /^buying listing 1 failed: /.test(e.message));
    assert.equal(calls.count, 1);
  });

  it("prints the hash of the transaction it sent once, on stderr, as a line a person reads", async () => {
    const lines: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => (lines.push(chunk), true)) as typeof process.stderr.write;
    try {
      await sendTransaction(mined, "creating the auction", sender([clash()]).send);
    } finally {
      process.stderr.write = write;
    }
    assert.deepEqual(lines, [`creating the auction: transaction ${HASH}\n`], "one line, also after a resend");
  });

  it("reports a transaction mined but reverted", async () => {
    const reverted = { waitForTransactionReceipt: async () => ({ status: "reverted" }) as TransactionReceipt };
    await assert.rejects(sendTransaction(reverted, "settling", sender([]).send), /settling reverted on-chain \(transaction 0xabab/);
  });
});
