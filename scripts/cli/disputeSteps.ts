/**
 * What `bazaar dispute` (buyer) and `bazaar contest` (seller) share about a v2 refund dispute
 * (docs/DISPUTES.md §7): the `RefundDisputes` contract as the user's wallet writes it, the
 * running window in words, the step that closes a dispute whose window has ended (anyone may),
 * and the circuit artifacts their proofs use.
 */
import { join } from "node:path";
import { formatEther, getContract, type Address } from "viem";
import type { DisputeView } from "@modelbazaar/sdk/actions";
import { refundDisputesAbi } from "@modelbazaar/sdk/abis";
import { ROOT } from "../zk/compile.ts";
import type { WriteSession } from "./session.ts";
import { findTestDrive, saveTestDrive } from "./testDriveRecord.ts";
import { formatDeadline } from "@modelbazaar/sdk/labels";
import { sendTransaction } from "./tx.ts";

/** The checked-in circuit artifacts: circuits/artifacts/<name>/<name>.wasm and .zkey. */
export const ARTIFACTS = (name: string): string => join(ROOT, "circuits", "artifacts", name, name);

/** Prints a command's result: `value` for --json, `text` otherwise. */
export type Print = (value: object, text: string) => void;

/** "until <deadline> (in …)" for the running window, or "" when none runs. */
export const until = (view: DisputeView): string => (view.deadline === undefined ? "" : `until ${formatDeadline(Number(view.deadline), Number(view.now))}`);

/** The market's `RefundDisputes`, written by the session's wallet. */
export function disputesContract(session: WriteSession, address: Address) {
  return getContract({ address, abi: refundDisputesAbi, client: { public: session.publicClient, wallet: session.walletClient } });
}

/** Closes a dispute whose window has ended, and says who won what. */
export async function closeDispute(session: WriteSession, view: DisputeView, out: Print): Promise<void> {
  const receipt = await sendTransaction(session.publicClient, "closing the refund dispute", () => disputesContract(session, view.disputes).write.closeDispute([view.testId], { chain: undefined }));
  const buyerWon = view.winnerAtTimeout === "buyer";
  const scope = await session.recordScope();
  const record = findTestDrive(scope, view.testId);
  if (record) saveTestDrive(scope, { ...record, stage: buyerWon ? "refunded" : "rejected" });
  const contested = view.phase !== "Claimed";
  const text = buyerWon
    ? `test-drive ${view.testId}: refunded ${formatEther(view.refund)} ETH${contested ? `, with the buyer's bond and the seller's ${formatEther(view.sellerBond)} ETH bond` : " with the buyer's bond"}; \`bazaar withdraw\` collects it`
    : `test-drive ${view.testId}: the buyer did not open the drawn samples in time, so the seller won: the deposit goes to the seller and the buyer's ${formatEther(view.buyerBond)} ETH bond is burned`;
  out({ phase: buyerWon ? "BuyerWon" : "SellerWon", refund: buyerWon ? view.refund : 0n, gasUsed: receipt.gasUsed, transaction: receipt.transactionHash }, text);
}

/** The sentence for a dispute that has ended. */
export const endedText = (view: DisputeView): string =>
  `test-drive ${view.testId}'s refund dispute is over (${view.phase === "BuyerWon" ? "refunded" : "won by the seller"}): \`bazaar withdraw\` collects what you are owed`;
