/**
 * `bazaar reveal <auctionId>`: opens the caller's sealed bid during the reveal window, from
 * the amount and salt `bazaar bid` kept on this machine.
 */
import type { Command } from "commander";
import { formatEther, type Address } from "viem";
import { readAuction, revealBid, revealedBid, revealRefusal, type AuctionView, type BidView } from "@modelbazaar/sdk/actions";
import type { KeptBid } from "@modelbazaar/sdk/auctions";
import { adoptBidSecret, bidSecretsElsewhere, bidSecretsOf } from "../bidSecrets.ts";
import { addChainOptions } from "../chainOptions.ts";
import { CliError } from "../cliError.ts";
import { notUsedSentence, type RecordScope } from "../localState.ts";
import { printResult, type GlobalOptions } from "../output.ts";
import { writeSession, type ChainOptions } from "../session.ts";
import { formatDeadline } from "@modelbazaar/sdk/labels";
import { sendTransaction } from "../tx.ts";
import { parseId } from "../values.ts";

export function registerReveal(program: Command, globals: () => GlobalOptions): void {
  addChainOptions(
    program
      .command("reveal")
      .description("reveal your sealed bid in an auction, from the secret `bazaar bid` kept on this machine")
      .argument("<auctionId>", "the auction"),
  ).action(async (auction: string, flags: ChainOptions) => {
    const auctionId = parseId(auction, "the auction id");
    const session = await writeSession(flags);
    const bidder = session.account.address;
    const view = await readAuction(session, auctionId, bidder);
    const refused = revealRefusal(view, bidder);
    if (refused) throw new CliError(refused.code === "reveal-closed" ? `${refused.sentence} (reclaim the rest with \`bazaar bid reclaim ${auctionId}\`)` : refused.sentence);
    const bid = view.bid!;
    const secret = secretOf(await session.recordScope(), bid, view, bidder);
    const amount = BigInt(secret.amount);
    const receipt = await sendTransaction(session.publicClient, "revealing the bid", () => revealBid(session.contracts.market, { auctionId, amount, salt: secret.salt }));
    const { valid } = revealedBid(receipt.logs);
    const result = { auctionId, bidder, amount, collateral: bid.collateral, valid, revealEnd: view.revealEnd, transaction: receipt.transactionHash };
    printResult(globals(), result, () =>
      [
        valid
          ? `revealed your bid of ${formatEther(amount)} ETH in auction ${auctionId}; it competes`
          : `revealed your bid of ${formatEther(amount)} ETH in auction ${auctionId}, but it exceeds its ${formatEther(bid.collateral)} ETH collateral: it does not compete and pays the penalty`,
        `after ${formatDeadline(view.revealEnd, view.now)} anyone can settle with \`bazaar auction settle ${auctionId}\`, and you reclaim your collateral with \`bazaar bid reclaim ${auctionId}\``,
      ].join("\n"),
    );
  });
}

/**
 * The kept secret that opens the bid's on-chain commitment: one kept for this deployment, or
 * one kept before records had a deployment (taken over). Secrets kept for other deployments
 * (an earlier chain at the same address) are not used; the sentence says they exist.
 */
function secretOf(scope: RecordScope, bid: BidView, view: AuctionView, bidder: Address): KeptBid {
  const matches = (s: KeptBid) => s.commitment.toLowerCase() === bid.commitment.toLowerCase();
  const secrets = bidSecretsOf(scope, view.auctionId, bidder);
  const secret = secrets.find(matches);
  if (secret) return secret;
  const elsewhere = bidSecretsElsewhere(scope, view.auctionId, bidder);
  const legacy = elsewhere.filter(({ where }) => where.legacy).flatMap(({ secrets: kept }) => kept).find(matches);
  if (legacy) {
    adoptBidSecret(scope, legacy);
    return legacy;
  }
  const where = secrets.length === 0 ? "no bid secret" : "no bid secret matching your commitment";
  const foreign = elsewhere.length > 0 ? `${notUsedSentence(`your bid in auction ${view.auctionId}`, elsewhere[0]!.where, scope)}; ` : "";
  throw new CliError(
    `${foreign}this machine keeps ${where} for auction ${view.auctionId} and ${bidder} on this deployment (set MODELBAZAAR_HOME, or run from, where you ran \`bazaar bid\`); reveal before ${formatDeadline(view.revealEnd, view.now)} or the bid pays the ${view.nonRevealPenaltyBps / 100}% penalty`,
  );
}
