/**
 * `bazaar buy <listingId> [--test <testId>]`: the buyer pays a fixed-price listing into escrow
 * (docs/PROTOCOL.md §5.2, step 1), optionally applying the deposit of its own test-drive.
 */
import type { Command } from "commander";
import { buyListing, buyValue, LISTING_STATUSES, readListing, readPurchase } from "@modelbazaar/sdk/actions";
import { formatEther, parseEventLogs } from "viem";
import { modelMarketAbi } from "@modelbazaar/sdk/abis";
import { addChainOptions } from "../chainOptions.ts";
import { CliError } from "../cliError.ts";
import { printResult, type GlobalOptions } from "../output.ts";
import { purchaseNextStep } from "../purchaseNextStep.ts";
import { writeSession, type ChainOptions } from "../session.ts";
import { sendTransaction } from "../tx.ts";
import { parseId } from "../values.ts";

export function registerBuy(program: Command, globals: () => GlobalOptions): void {
  addChainOptions(program.command("buy").description("buy a fixed-price listing; the price is held in escrow until the model is delivered"))
    .argument("<listingId>", "the listing to buy")
    .option("--test <testId>", "apply the deposit of your test-drive of this listing to the price")
    .action(async (listingText: string, options: ChainOptions & { test?: string }) => {
      const listingId = parseId(listingText, "the listing id");
      const testId = options.test === undefined ? 0n : parseId(options.test, "--test");
      const session = await writeSession(options);
      const { status, offer, terms } = await readListing(session.publicClient, session.deployment, listingId);
      if (LISTING_STATUSES[status] !== "active") throw new CliError(`listing ${listingId} is ${LISTING_STATUSES[status]}, so it cannot be bought`);
      if (offer.saleMode !== 0) throw new CliError(`listing ${listingId} is sold by auction: bid on its auction instead`);
      const purchase = { listingId, price: offer.price, deposit: terms.testPolicy.deposit, testId };
      const due = buyValue(purchase);
      const balance = await session.publicClient.getBalance({ address: session.account.address });
      if (balance < due) throw new CliError(`insufficient funds: ${session.account.address} holds ${formatEther(balance)} ETH but listing ${listingId} costs ${formatEther(due)} ETH plus gas`);
      // The price read above is the one the buyer pays: if the seller changes it before this
      // transaction lands, the market refuses the purchase (FairExchangePriceChanged).
      const receipt = await sendTransaction(session.publicClient, `buying listing ${listingId}`, () => buyListing(session.contracts.market, purchase));
      const [opened] = parseEventLogs({ abi: modelMarketAbi, logs: receipt.logs, eventName: "PurchaseOpened" });
      if (!opened) throw new CliError("the market emitted no PurchaseOpened event (is --deployment right?)");
      const view = await readPurchase(session.publicClient, session.deployment, opened.args.purchaseId);
      const next = purchaseNextStep(view, session.account.address);
      printResult(globals(), { purchaseId: view.purchaseId, listingId, paid: due, depositApplied: opened.args.depositApplied, price: opened.args.price, status: view.status, next, transaction: receipt.transactionHash }, () =>
        [
          `purchase #${view.purchaseId} of listing ${listingId} at ${formatEther(opened.args.price)} ETH: ${formatEther(opened.args.escrow)} ETH held in escrow (${formatEther(due)} ETH paid now${opened.args.depositApplied > 0n ? `, ${formatEther(opened.args.depositApplied)} ETH from test-drive ${testId}; it goes back to that test-drive, not to you, if the purchase is refunded` : ""}).`,
          `next: ${next}`,
        ].join("\n"),
      );
    });
}
