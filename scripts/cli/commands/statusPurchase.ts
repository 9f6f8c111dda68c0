/**
 * `bazaar status purchase <purchaseId>`: where a purchase stands (the market's computed status,
 * its deadlines) and, as one sentence, what the caller should do next. The caller is
 * `--account`, else the configured account (signerKey.ts) when set; no password is needed.
 */
import type { Command } from "commander";
import { readPurchase } from "@modelbazaar/sdk/actions";
import { callerAccount } from "../callerAccount.ts";
import { addChainOptions } from "../chainOptions.ts";
import { printResult, type GlobalOptions } from "../output.ts";
import { purchaseNextStep } from "../purchaseNextStep.ts";
import { readSession, type ChainOptions } from "../session.ts";
import { purchaseStatusText } from "../statusText.ts";
import { parseId } from "../values.ts";

export function registerStatusPurchase(status: Command, globals: () => GlobalOptions): void {
  addChainOptions(
    status
      .command("purchase")
      .description("show a purchase's stage (escrow, delivery, key, complaint window) and what you should do next")
      .argument("<purchaseId>", "the purchase")
      .option("--account <address>", "whose next step to tell (default: your configured account, if any)"),
  ).action(async (idText: string, flags: ChainOptions & { account?: string }) => {
    const { publicClient, deployment } = await readSession(flags);
    const view = await readPurchase(publicClient, deployment, parseId(idText, "the purchase id"));
    const next = purchaseNextStep(view, callerAccount(flags.account));
    printResult(globals(), { ...view, next }, () => purchaseStatusText(view, next));
  });
}
