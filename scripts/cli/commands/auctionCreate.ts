/**
 * `bazaar auction create <listingId>`: the seller opens a sealed-bid auction of one of its
 * auction-mode listings: kind, reserve, bidding and reveal windows, the non-reveal penalty and
 * whether only test-drivers may bid.
 */
import type { Command } from "commander";
import { formatEther } from "viem";
import { auctionPhaseRefusal, createAuction, createdAuctionId, type CreateAuctionParams } from "@modelbazaar/sdk/actions";
import type { AuctionKind } from "@modelbazaar/sdk/auctions";
import { auctionKindLabel, formatDeadline } from "@modelbazaar/sdk/labels";
import { addChainOptions } from "../chainOptions.ts";
import { CliError } from "../cliError.ts";
import { printResult, type GlobalOptions } from "../output.ts";
import { writeSession, type ChainOptions } from "../session.ts";
import { sendTransaction } from "../tx.ts";
import { parseDuration, parseEth, parseId, parsePercentBps } from "../values.ts";

/** The kinds by name; "vickrey" is accepted as another name of second-price. */
const KINDS: Readonly<Record<string, AuctionKind>> = { "first-price": "first-price", "second-price": "second-price", vickrey: "second-price" };

interface AuctionCreateFlags extends ChainOptions {
  kind: string;
  reserve: string;
  bidding: string;
  reveal: string;
  penalty: string;
  testersOnly?: boolean;
}

export function registerAuctionCreate(auction: Command, globals: () => GlobalOptions): void {
  addChainOptions(
    auction
      .command("create")
      .description("open a sealed-bid auction of your auction-mode listing (as your account: MODELBAZAAR_KEYSTORE or MODELBAZAAR_PRIVATE_KEY)")
      .argument("<listingId>", "your listing, in auction mode")
      .requiredOption("--kind <first-price|second-price>", "first-price: the winner pays its bid; second-price (Vickrey): the second-highest valid bid (at least the reserve)")
      .requiredOption("--reserve <eth>", "lowest winning bid, in ETH")
      .requiredOption("--bidding <duration>", "how long bids may be committed (90s, 10m, 2h, 3d; at most 30 days)")
      .requiredOption("--reveal <duration>", "how long bids may be revealed afterwards (at most 30 days)")
      .option("--penalty <percent>", "share of its collateral a bid that is never validly revealed pays you", "10")
      .option("--testers-only", "admit only bidders who test-drove the listing"),
  ).action(async (listing: string, flags: AuctionCreateFlags) => {
    const params = auctionParams(listing, flags);
    const session = await writeSession(flags);
    const receipt = await sendTransaction(session.publicClient, "creating the auction", () => createAuction(session.contracts.market, params));
    const auctionId = createdAuctionId(receipt.logs);
    const auction = await session.contracts.market.read.getAuction([auctionId]);
    const { timestamp } = await session.publicClient.getBlock({ blockNumber: receipt.blockNumber });
    const now = Number(timestamp);
    const result = { auctionId, ...params, commitEnd: auction.commitEnd, revealEnd: auction.revealEnd, transaction: receipt.transactionHash };
    printResult(globals(), result, () =>
      [
        `auction ${auctionId} of listing ${params.listingId}: ${auctionKindLabel(params.kind)}, reserve ${formatEther(params.reservePrice)} ETH, non-reveal penalty ${params.nonRevealPenaltyBps / 100}%${params.onlyTestDrivers ? ", test-drivers only" : ""}`,
        `  bidding until ${formatDeadline(auction.commitEnd, now)}`,
        `  reveals until ${formatDeadline(auction.revealEnd, now)}`,
        `bidders: \`bazaar bid ${auctionId} <amount in ETH>\`; anyone: \`bazaar status auction ${auctionId}\``,
      ].join("\n"),
    );
  });
}

function auctionParams(listing: string, flags: AuctionCreateFlags): CreateAuctionParams {
  const kind = KINDS[flags.kind];
  if (!kind) throw new CliError(`--kind must be first-price or second-price, not "${flags.kind}"`);
  const reservePrice = parseEth(flags.reserve, "--reserve");
  const commitDuration = phaseSeconds(flags.bidding, "--bidding");
  const revealDuration = phaseSeconds(flags.reveal, "--reveal");
  const nonRevealPenaltyBps = parsePercentBps(flags.penalty, "--penalty");
  return { listingId: parseId(listing, "the listing id"), kind, reservePrice, commitDuration, revealDuration, onlyTestDrivers: flags.testersOnly === true, nonRevealPenaltyBps };
}

function phaseSeconds(text: string, what: string): number {
  const seconds = parseDuration(text, what);
  const refused = auctionPhaseRefusal(seconds, what);
  if (refused) throw new CliError(`${refused.sentence}, not ${text}`);
  return seconds;
}
