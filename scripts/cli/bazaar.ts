#!/usr/bin/env node
/**
 * `bazaar`: ModelBazaar's command line (`npm run bazaar -- <command>`, or the package's bin).
 * Every command has --help; --json prints machine-readable output; failures print one
 * sentence and exit non-zero. Keys come from the environment or a keystore, never from argv.
 */
import { Command, CommanderError } from "commander";
import { reportFailure } from "./cliError.ts";
import { registerAudit } from "./commands/audit.ts";
import { registerAuctionCreate } from "./commands/auctionCreate.ts";
import { registerAuctionSettle } from "./commands/auctionSettle.ts";
import { registerBid } from "./commands/bid.ts";
import { registerBidReclaim } from "./commands/bidReclaim.ts";
import { registerModelCheck } from "./commands/modelCheck.ts";
import { registerReveal } from "./commands/reveal.ts";
import { registerStatusAuction } from "./commands/statusAuction.ts";
import { registerWorkerStart } from "./commands/workerStart.ts";
import { registerBuy } from "./commands/buy.ts";
import { registerDeliver } from "./commands/deliver.ts";
import { registerDownload } from "./commands/download.ts";
import { registerList } from "./commands/list.ts";
import { registerListings } from "./commands/listings.ts";
import { registerStatusPurchase } from "./commands/statusPurchase.ts";
import { registerStatusTest } from "./commands/statusTest.ts";
import { registerWithdraw } from "./commands/withdraw.ts";
import { registerTestDrive } from "./commands/testDrive.ts";
import { registerDispute } from "./commands/dispute.ts";
import type { GlobalOptions } from "./output.ts";

export function buildProgram(): Command {
  const program = new Command("bazaar")
    .description("ModelBazaar: test-drive, buy and sell machine-learning models with trust")
    .option("--json", "print machine-readable JSON")
    .showHelpAfterError()
    .exitOverride();
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  registerModelCheck(program.command("model").description("seller tools for model files"), globals);
  registerWorkerStart(program.command("worker").description("the seller's evaluation worker"));
  const auction = program.command("auction").description("sealed-bid auctions of auction-mode listings");
  registerAuctionCreate(auction, globals);
  registerAuctionSettle(auction, globals);
  registerBidReclaim(registerBid(program, globals), globals);
  registerReveal(program, globals);
  const status = program.command("status").description("where a test-drive, auction or purchase stands, and what to do next");
  registerStatusAuction(status, globals);
  registerStatusPurchase(status, globals);
  registerStatusTest(status, globals);
  registerListings(program, globals);
  registerList(program, globals);
  registerBuy(program, globals);
  registerDeliver(program, globals);
  registerDownload(program, globals);
  registerWithdraw(program, globals);
  registerAudit(program, globals);
  registerTestDrive(program, globals);
  registerDispute(program, globals);
  return program;
}

export async function runCli(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode; // commander printed the usage error or help
    return reportFailure(error);
  }
}

if (import.meta.main) process.exitCode = await runCli(process.argv.slice(2));
