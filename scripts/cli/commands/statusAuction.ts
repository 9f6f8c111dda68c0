/**
 * `bazaar status auction <auctionId>`: where an auction stands (phase, deadlines, bids
 * committed and revealed, the highest revealed bid, winner, price and purchase) and what the
 * caller should do next, in one sentence. The caller is `--account`, else the account of
 * the configured account (signerKey.ts) when set; no password is needed.
 */
import type { Command } from "commander";
import { formatEther } from "viem";
import { readAuction, type AuctionView } from "../../../sdk/src/actions/readAuction.ts";
import { auctionNextStep } from "../auctionNextStep.ts";
import { bidSecretsOf } from "../bidSecrets.ts";
import { callerAccount } from "../callerAccount.ts";
import { addChainOptions } from "../chainOptions.ts";
import { printResult, type GlobalOptions } from "../output.ts";
import { readSession, type ChainOptions } from "../session.ts";
import { formatDeadline } from "../timeText.ts";
import { parseId } from "../values.ts";

interface StatusAuctionFlags extends ChainOptions {
  account?: string;
}

export function registerStatusAuction(status: Command, globals: () => GlobalOptions): void {
  addChainOptions(
    status
      .command("auction")
      .description("show an auction's phase, deadlines, bids and outcome, and what you should do next")
      .argument("<auctionId>", "the auction")
      .option("--account <address>", "whose next step to tell (default: your configured account, if any)"),
  ).action(async (auctionText: string, flags: StatusAuctionFlags) => {
    const auctionId = parseId(auctionText, "the auction id");
    const caller = callerAccount(flags.account);
    const session = await readSession(flags);
    const view = await readAuction(session, auctionId, caller);
    const hasSecret = caller !== undefined && bidSecretsOf(session.deployment.chainId, auctionId, caller).length > 0;
    const next = auctionNextStep(view, { address: caller, hasSecret });
    printResult(globals(), { ...view, caller, next }, () => statusText(view, next));
  });
}

function statusText(view: AuctionView, next: string): string {
  const eth = (wei: bigint): string => `${formatEther(wei)} ETH`;
  const lines = [
    `auction ${view.auctionId} of listing ${view.listingId} by ${view.seller}: ${view.kind}, reserve ${eth(view.reservePrice)}, non-reveal penalty ${view.nonRevealPenaltyBps / 100}%${view.onlyTestDrivers ? ", test-drivers only" : ""}`,
    `  phase:    ${view.phase}`,
    `  bidding:  until ${formatDeadline(view.commitEnd, view.now)}`,
    `  reveals:  until ${formatDeadline(view.revealEnd, view.now)}`,
    `  bids:     ${view.bidCount} committed, ${view.revealedCount} revealed`,
  ];
  if (view.phase !== "bidding") {
    const highest = view.highestBidder ? `${eth(view.highestAmount)} by ${view.highestBidder}` : "none";
    lines.push(`  highest:  ${highest}${view.phase === "revealing" ? " (so far)" : ""}`);
  }
  if (view.phase === "settleable" || view.phase === "settled") {
    const winner = view.winner ? `${view.winner} pays ${eth(view.clearingPrice)}` : "none (no valid bid reached the reserve)";
    lines.push(`  winner:   ${winner}${view.purchaseId === undefined ? "" : `, purchase ${view.purchaseId}`}`);
  }
  if (view.bid) {
    const b = view.bid;
    const state = b.revealed ? `revealed ${eth(b.amount)}` : "sealed";
    lines.push(`  your bid: ${state}, collateral ${eth(b.collateral)}${b.reclaimed ? " (released)" : ""}`);
  }
  lines.push(`next: ${next}`);
  return lines.join("\n");
}
