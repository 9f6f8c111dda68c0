/**
 * `bazaar bid <auctionId> <amount>`: commits a sealed bid. A fresh random salt and the
 * commitment (bound to the bidder and the auction) are made here, and the amount and salt are
 * stored in the local "bids" state BEFORE the transaction is sent, so a crash cannot lose
 * what the reveal needs. The collateral defaults to the bid plus a random pad, which hides the
 * amount from everyone watching the chain.
 */
import type { Command } from "commander";
import { formatEther, type Address } from "viem";
import { commitBid, committedCollateral, readAuction, type AuctionView } from "@modelbazaar/sdk/actions";
import { sealBid, MAX_BID, type SealedBid } from "@modelbazaar/sdk/auctions";
import { keepBidSecret } from "../bidSecrets.ts";
import { addChainOptions } from "../chainOptions.ts";
import { CliError } from "../cliError.ts";
import { printResult, type GlobalOptions } from "../output.ts";
import { writeSession, type ChainOptions, type WriteSession } from "../session.ts";
import { formatDeadline } from "../timeText.ts";
import { sendTransaction } from "../tx.ts";
import { parseEth, parseId } from "../values.ts";

interface BidFlags extends ChainOptions {
  collateral?: string;
  test?: string;
}

/** Registers `bid` and returns it, so `bid reclaim` can hang under it. */
export function registerBid(program: Command, globals: () => GlobalOptions): Command {
  const bid = program
    .command("bid")
    .description("commit a sealed bid in an auction (as your account: MODELBAZAAR_KEYSTORE or MODELBAZAAR_PRIVATE_KEY); the amount and salt stay on this machine until `bazaar reveal`")
    .argument("<auctionId>", "the auction")
    .argument("<amount>", "your bid, in ETH (at least the reserve)")
    .option("--collateral <eth>", "collateral to lock, at least the bid (default: the bid plus a random pad of up to the bid, to hide the amount)")
    .option("--test <testId>", "your test-drive of the listing: admits you to test-drivers-only auctions and turns its deposit into extra collateral");
  addChainOptions(bid).action(async (auction: string, amountText: string, flags: BidFlags) => {
    const auctionId = parseId(auction, "the auction id");
    const amount = parseEth(amountText, "the bid");
    const collateral = flags.collateral === undefined ? undefined : parseEth(flags.collateral, "--collateral");
    const testId = flags.test === undefined ? 0n : parseId(flags.test, "--test");
    if (amount === 0n || amount > MAX_BID) throw new CliError(`the bid must be more than 0 and at most ${formatEther(MAX_BID)} ETH`);
    if (collateral !== undefined && collateral < amount) throw new CliError(`the collateral (${formatEther(collateral)} ETH) must be at least the bid (${formatEther(amount)} ETH), or the bid is invalid at the reveal and pays the penalty`);

    const session = await writeSession(flags);
    const bidder = session.account.address;
    const view = await readAuction(session, auctionId, bidder);
    checkCanBid(view, bidder, amount, testId);
    const sealed = sealBid({ auctionId, bidder, amount, collateral });
    await checkBalance(session, sealed.collateral);

    keepBidSecret(await session.recordScope(), sealed, testId);
    const receipt = await sendTransaction(session.publicClient, "committing the bid", () => commitBid(session.contracts.market, sealed, testId));
    const locked = committedCollateral(receipt.logs);
    const result = { auctionId, bidder, amount, collateral: locked, commitment: sealed.commitment, randomPad: collateral === undefined ? sealed.pad : 0n, commitEnd: view.commitEnd, revealEnd: view.revealEnd, transaction: receipt.transactionHash };
    printResult(globals(), result, () => bidText(view, sealed, locked, collateral === undefined));
  });
  return bid;
}

function checkCanBid(view: AuctionView, bidder: Address, amount: bigint, testId: bigint): void {
  const id = view.auctionId;
  if (view.phase !== "bidding") throw new CliError(`bidding in auction ${id} closed at ${formatDeadline(view.commitEnd, view.now)}; see \`bazaar status auction ${id}\``);
  if (view.seller.toLowerCase() === bidder.toLowerCase()) throw new CliError(`you are the seller of auction ${id} and may not bid in it`);
  if (view.bid) throw new CliError(`you already bid in auction ${id}; reveal it with \`bazaar reveal ${id}\` after ${formatDeadline(view.commitEnd, view.now)}`);
  if (amount < view.reservePrice) throw new CliError(`your bid of ${formatEther(amount)} ETH is below the reserve of ${formatEther(view.reservePrice)} ETH, so it could not win`);
  if (view.onlyTestDrivers && testId === 0n) throw new CliError(`auction ${id} admits only bidders who test-drove listing ${view.listingId}: pass --test <your testId>`);
}

async function checkBalance(session: WriteSession, collateral: bigint): Promise<void> {
  const balance = await session.publicClient.getBalance({ address: session.account.address });
  if (balance <= collateral) throw new CliError(`your balance of ${formatEther(balance)} ETH cannot cover the collateral of ${formatEther(collateral)} ETH plus gas`);
}

function bidText(view: AuctionView, sealed: SealedBid, locked: bigint, padded: boolean): string {
  const lines = [`sealed bid of ${formatEther(sealed.amount)} ETH committed in auction ${view.auctionId} with ${formatEther(locked)} ETH collateral`];
  if (padded) lines.push(`  the collateral is your bid plus a random pad of ${formatEther(sealed.pad)} ETH, so watchers only learn your bid is at most ${formatEther(sealed.collateral)} ETH (choose it with --collateral)`);
  lines.push(
    `  the amount and salt are kept on this machine (MODELBAZAAR_HOME); without them the bid cannot be revealed and pays the ${view.nonRevealPenaltyBps / 100}% penalty`,
    `reveal it with \`bazaar reveal ${view.auctionId}\` from ${formatDeadline(view.commitEnd, view.now)}, until ${formatDeadline(view.revealEnd, view.now)}`,
  );
  return lines.join("\n");
}
