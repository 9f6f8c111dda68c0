/**
 * `bazaar bid reclaim <auctionId>`: after the reveal window, releases a bid's collateral: all
 * of it for a losing revealed bid, all but the price for the winner, all but the non-reveal
 * penalty for a bid never validly revealed. Anyone may release anyone's bid (`--bidder`);
 * a refund to someone else is credited for them to withdraw.
 */
import type { Command } from "commander";
import { formatEther } from "viem";
import { readAuction, reclaimBid, reclaimedBid, reclaimRefusal } from "@modelbazaar/sdk/actions";
import { addChainOptions } from "../chainOptions.ts";
import { CliError } from "../cliError.ts";
import { printResult, type GlobalOptions } from "../output.ts";
import { writeSession, type ChainOptions } from "../session.ts";
import { sendTransaction } from "../tx.ts";
import { parseAddress, parseId } from "../values.ts";

interface ReclaimFlags extends ChainOptions {
  bidder?: string;
}

export function registerBidReclaim(bid: Command, globals: () => GlobalOptions): void {
  addChainOptions(
    bid
      .command("reclaim")
      .description("release a bid's collateral after the reveal window (the winner's price stays for its purchase; an unrevealed bid pays the penalty)")
      .argument("<auctionId>", "the auction")
      .option("--bidder <address>", "release someone else's bid (default: your own); the refund is credited to them"),
  ).action(async (auctionText: string, _flags: ReclaimFlags, command: Command) => {
    const flags = command.optsWithGlobals<ReclaimFlags>(); // `bid` takes --rpc/--deployment too and may have consumed them
    const auctionId = parseId(auctionText, "the auction id");
    const session = await writeSession(flags);
    const bidder = flags.bidder === undefined ? session.account.address : parseAddress(flags.bidder, "--bidder");
    const refused = reclaimRefusal(await readAuction(session, auctionId, bidder), bidder);
    if (refused) throw new CliError(refused.sentence);
    const receipt = await sendTransaction(session.publicClient, "reclaiming the bid", () => reclaimBid(session.contracts.market, auctionId, bidder));
    const { refund, penalty } = reclaimedBid(receipt.logs);
    const own = bidder.toLowerCase() === session.account.address.toLowerCase();
    printResult(globals(), { auctionId, bidder, refund, penalty, credited: !own, transaction: receipt.transactionHash }, () =>
      [
        `released the bid of ${bidder} in auction ${auctionId}: ${formatEther(refund)} ETH ${own ? "sent to you" : "credited to the bidder (it withdraws with `bazaar withdraw`)"}`,
        ...(penalty > 0n ? [`  ${formatEther(penalty)} ETH went to the seller as the non-reveal penalty`] : []),
      ].join("\n"),
    );
  });
}
