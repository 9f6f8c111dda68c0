/**
 * `bazaar bid <auctionId> <amount>`: commits a sealed bid. A fresh random salt and the
 * commitment (bound to the bidder and the auction) are made here, and the amount and salt are
 * stored in the local "bids" state BEFORE the transaction is sent, so a crash cannot lose
 * what the reveal needs. The collateral defaults to the bid plus a random pad, which hides the
 * amount from everyone watching the chain. With `--test`, an evaluated test-drive's deposit joins
 * the collateral; a bid whose ether cannot cover the penalty that collateral could owe is refused
 * first (the SDK's findBidTestDrives and depositBidRefusal, which the dApp's bid form uses too).
 */
import type { Command } from "commander";
import { formatEther } from "viem";
import { bidRefusal, commitBid, committedCollateral, depositBidRefusal, findBidTestDrives, readAuction, type AuctionRefusal, type AuctionView } from "@modelbazaar/sdk/actions";
import { sealBid, type SealedBid } from "@modelbazaar/sdk/auctions";
import { keepBidSecret } from "../bidSecrets.ts";
import { addChainOptions } from "../chainOptions.ts";
import { CliError } from "../cliError.ts";
import { printResult, type GlobalOptions } from "../output.ts";
import { writeSession, type ChainOptions, type WriteSession } from "../session.ts";
import { formatDeadline } from "@modelbazaar/sdk/labels";
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

    const session = await writeSession(flags);
    const bidder = session.account.address;
    const view = await readAuction(session, auctionId, bidder);
    const refused = bidRefusal(view, bidder, amount, collateral, testId);
    if (refused) throw new CliError(withCommand(refused, view));
    const sealed = sealBid({ auctionId, bidder, amount, collateral });
    if (testId !== 0n) {
      const [applied] = await findBidTestDrives(session.publicClient, session.deployment, view.listingId, bidder, [testId]).then((drives) => drives.filter((drive) => drive.testId === testId));
      const uncovered = depositBidRefusal(view, sealed.collateral, applied?.deposit ?? 0n);
      if (uncovered) throw new CliError(collateral === undefined ? `${uncovered.sentence} with --collateral` : uncovered.sentence);
    }
    await checkBalance(session, sealed.collateral);

    keepBidSecret(await session.recordScope(), sealed, testId);
    const receipt = await sendTransaction(session.publicClient, "committing the bid", () => commitBid(session.contracts.market, sealed, testId));
    const locked = committedCollateral(receipt.logs);
    const result = { auctionId, bidder, amount, collateral: locked, commitment: sealed.commitment, randomPad: collateral === undefined ? sealed.pad : 0n, commitEnd: view.commitEnd, revealEnd: view.revealEnd, transaction: receipt.transactionHash };
    printResult(globals(), result, () => bidText(view, sealed, locked, collateral === undefined));
  });
  return bid;
}

/** The refusal with the command that is the way on, where there is one. */
function withCommand({ code, sentence }: AuctionRefusal, view: AuctionView): string {
  const id = view.auctionId;
  if (code === "bidding-closed") return `${sentence}; see \`bazaar status auction ${id}\``;
  if (code === "already-bid") return `${sentence}; reveal it with \`bazaar reveal ${id}\` after ${formatDeadline(view.commitEnd, view.now)}`;
  if (code === "testers-only") return `${sentence}: pass --test <your testId>`;
  return sentence;
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
