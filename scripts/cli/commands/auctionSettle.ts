/**
 * `bazaar auction settle <auctionId>`: after the reveal window anyone ends the auction; the
 * winner's payment moves into a purchase escrow, whose id `bazaar deliver`/`download` take.
 */
import type { Command } from "commander";
import { formatEther } from "viem";
import { auctionSettlement, readAuction, settleAuction, settleRefusal, type AuctionSettlement } from "@modelbazaar/sdk/actions";
import { addChainOptions } from "../chainOptions.ts";
import { CliError } from "../cliError.ts";
import { printResult, type GlobalOptions } from "../output.ts";
import { writeSession, type ChainOptions } from "../session.ts";
import { sendTransaction } from "../tx.ts";
import { parseId } from "../values.ts";

export function registerAuctionSettle(auction: Command, globals: () => GlobalOptions): void {
  addChainOptions(
    auction
      .command("settle")
      .description("end an auction after its reveal window (anyone may): the winner's payment moves into a purchase escrow")
      .argument("<auctionId>", "the auction"),
  ).action(async (auctionText: string, flags: ChainOptions) => {
    const auctionId = parseId(auctionText, "the auction id");
    const session = await writeSession(flags);
    const refused = settleRefusal(await readAuction(session, auctionId));
    if (refused) throw new CliError(refused.code === "already-settled" ? `${refused.sentence}; see \`bazaar status auction ${auctionId}\`` : refused.sentence);
    const receipt = await sendTransaction(session.publicClient, "settling the auction", () => settleAuction(session.contracts.market, auctionId));
    const settlement = auctionSettlement(receipt.logs);
    printResult(globals(), { auctionId, ...settlement, transaction: receipt.transactionHash }, () => settlementText(auctionId, settlement));
  });
}

function settlementText(auctionId: bigint, { winner, price, purchaseId }: AuctionSettlement): string {
  const reclaim = `bidders reclaim their collateral with \`bazaar bid reclaim ${auctionId}\``;
  if (!winner) return `auction ${auctionId} settled: no valid bid reached the reserve, nothing was sold; ${reclaim}`;
  return [
    `auction ${auctionId} settled: ${winner} won and pays ${formatEther(price)} ETH, held in escrow as purchase ${purchaseId}`,
    `seller: \`bazaar deliver ${purchaseId}\`; winner: \`bazaar download ${purchaseId}\` once delivered; ${reclaim}`,
  ].join("\n");
}
