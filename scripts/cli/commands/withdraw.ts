/**
 * `bazaar withdraw`: collects everything the market and the registry could pay the caller now
 * (sdk/src/actions/findPayouts.ts): completes its sold purchases past the complaint window,
 * refunds its purchases whose seller missed a deadline, its unserved test-drives and the
 * forfeited deposits of its listings, withdraws the ledger's credit (named by what it pays
 * for: "payment for purchase 1" when the buyer completed the purchase early), and, for the registry's
 * owner, the promotion fees. Each is a transaction; it prints what each paid.
 */
import type { Command } from "commander";
import { ON_CLIENT_CHAIN, describeCredits, findPayouts } from "@modelbazaar/sdk/actions";
import { formatEther, parseEventLogs, type Hash, type TransactionReceipt } from "viem";
import { modelMarketAbi, modelRegistryAbi } from "@modelbazaar/sdk/abis";
import { addChainOptions } from "../chainOptions.ts";
import { printResult, type GlobalOptions } from "../output.ts";
import { writeSession, type ChainOptions, type WriteSession } from "../session.ts";
import { sendTransaction } from "../tx.ts";

interface Collected {
  what: string;
  amount: bigint;
  transaction: Hash;
}

export function registerWithdraw(program: Command, globals: () => GlobalOptions): void {
  addChainOptions(program.command("withdraw").description("collect what the market owes you: payments, refunds, deposits, the ledger's credit named by what each part pays for, e.g. \"payment for purchase 1\" (and promotion fees for the registry owner)")).action(
    async (options: ChainOptions) => {
      const session = await writeSession(options);
      const me = session.account.address;
      const due = await findPayouts(session.publicClient, session.deployment, me);
      const market = session.contracts.market.write;
      const collected: Collected[] = [];
      const run = async (what: string, send: () => Promise<Hash>) => {
        const receipt = await sendTransaction(session.publicClient, what, send);
        collected.push({ what, amount: paidTo(session, receipt), transaction: receipt.transactionHash });
      };
      for (const id of due.completable) await run(`payment for purchase ${id}`, () => market.completePurchase([id], ON_CLIENT_CHAIN));
      for (const id of due.refundable) await run(`refund of purchase ${id}`, () => market.refundPurchase([id], ON_CLIENT_CHAIN));
      for (const id of due.unserved) await run(`refund of unserved test-drive ${id}`, () => market.refundUnserved([id], ON_CLIENT_CHAIN));
      for (const id of due.forfeitable) await run(`forfeited deposit of test-drive ${id}`, () => market.forfeitDeposit([id], ON_CLIENT_CHAIN));
      if (due.owed > 0n) await run(describeCredits(due.credits, (wei) => `${formatEther(wei)} ETH`), () => market.withdraw(ON_CLIENT_CHAIN));
      if (due.promotionFees > 0n) await run("promotion fees", () => session.contracts.registry.write.withdrawPromotionFees([me], ON_CLIENT_CHAIN));
      const total = collected.reduce((sum, c) => sum + c.amount, 0n);
      printResult(globals(), { account: me, total, collected }, () =>
        collected.length === 0
          ? `nothing is owed to ${me} right now (\`bazaar status purchase|test <id>\` tells when something will be).`
          : [...collected.map((c) => `  ${c.what}: ${formatEther(c.amount)} ETH`), `collected ${formatEther(total)} ETH to ${me}.`].join("\n"),
      );
    },
  );
}

/** What a payout transaction's events say it paid the caller. */
function paidTo(session: WriteSession, receipt: TransactionReceipt): bigint {
  const me = session.account.address.toLowerCase();
  let amount = 0n;
  for (const event of parseEventLogs({ abi: [...modelMarketAbi, ...modelRegistryAbi], logs: receipt.logs })) {
    if (event.eventName === "PurchaseCompleted" && event.args.seller.toLowerCase() === me) amount += event.args.amount;
    else if (event.eventName === "PurchaseRefunded" && event.args.buyer.toLowerCase() === me) amount += event.args.toBuyer;
    else if (event.eventName === "TestClosed") amount += event.args.toBuyer + event.args.toSeller;
    else if (event.eventName === "PaymentWithdrawn" && event.args.payee.toLowerCase() === me) amount += event.args.amount;
    else if (event.eventName === "PromotionFeesWithdrawn") amount += event.args.amount;
  }
  return amount;
}
