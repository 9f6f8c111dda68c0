/**
 * `bazaar status auction <auctionId>`: where an auction stands (phase, deadlines, bids
 * committed and revealed, the highest revealed bid, winner, price and purchase) and what the
 * caller should do next, in one sentence. The caller is `--account`, else the account of
 * the configured account (signerKey.ts) when set; no password is needed.
 */
import type { Command } from "commander";
import { readAuction } from "@modelbazaar/sdk/actions";
import { auctionNextStep } from "../auctionNextStep.ts";
import { bidSecretsOf } from "../bidSecrets.ts";
import { callerAccount } from "../callerAccount.ts";
import { addChainOptions } from "../chainOptions.ts";
import { printResult, type GlobalOptions } from "../output.ts";
import { readSession, type ChainOptions } from "../session.ts";
import { auctionStatusText } from "../statusText.ts";
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
    const hasSecret = caller !== undefined && bidSecretsOf(await session.recordScope(), auctionId, caller).length > 0;
    const next = auctionNextStep(view, { address: caller, hasSecret });
    printResult(globals(), { ...view, caller, next }, () => auctionStatusText(view, next));
  });
}
