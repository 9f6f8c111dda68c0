/**
 * `bazaar status test <testId>`: where a test-drive stands (the market's computed status and
 * phase, its deadline, its deposit) and, as one sentence, what the caller should do next. The
 * caller is `--account`, else the configured account (signerKey.ts) when set; no password is needed.
 */
import type { Command } from "commander";
import { modelRegistryAbi } from "@modelbazaar/sdk/abis";
import { readTest } from "@modelbazaar/sdk/actions";
import { callerAccount } from "../callerAccount.ts";
import { addChainOptions } from "../chainOptions.ts";
import { printResult, type GlobalOptions } from "../output.ts";
import { readSession, type ChainOptions } from "../session.ts";
import { testStatusText } from "../statusText.ts";
import { testNextStep } from "../testNextStep.ts";
import { parseId } from "../values.ts";

export function registerStatusTest(status: Command, globals: () => GlobalOptions): void {
  addChainOptions(
    status
      .command("test")
      .description("show a test-drive's stage (receipt, dispute window, deposit) and what you should do next")
      .argument("<testId>", "the test-drive")
      .option("--account <address>", "whose next step to tell (default: your configured account, if any)"),
  ).action(async (idText: string, flags: ChainOptions & { account?: string }) => {
    const { publicClient, deployment } = await readSession(flags);
    const view = await readTest(publicClient, deployment, parseId(idText, "the test-drive id"));
    const me = callerAccount(flags.account);
    const [seller] = await publicClient.readContract({ address: deployment.registry, abi: modelRegistryAbi, functionName: "workerOf", args: [BigInt(view.test.listingId)] });
    const next = testNextStep(view, me && { address: me, isSeller: seller.toLowerCase() === me.toLowerCase() });
    printResult(globals(), { ...view, next }, () => testStatusText(view, next));
  });
}
