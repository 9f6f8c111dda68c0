#!/usr/bin/env node
/**
 * `bazaar`: ModelBazaar's command line (`npm run bazaar -- <command>`, or the package's bin).
 * Every command has --help; --json prints machine-readable output; failures print one
 * sentence and exit non-zero. Keys come from an encrypted key file or the environment, never
 * from argv (signerKey.ts).
 */
import { Command, CommanderError } from "commander";
import { reportFailure } from "./cliError.ts";
import type { GlobalOptions } from "./output.ts";

type Globals = () => GlobalOptions;

/**
 * Each top-level command, registered from its modules on demand: a command imports only what it
 * runs (HE, snarkjs, the worker's server...), so `bazaar listings` does not pay for `test-drive`.
 * The key order is the help's order.
 */
const COMMANDS: Record<string, (program: Command, globals: Globals) => Promise<void>> = {
  async account(program, globals) {
    const { registerAccount } = await import("./commands/account.ts");
    registerAccount(program.command("account").description("encrypted key files for your account"), globals);
  },
  async model(program, globals) {
    const [{ registerModelCheck }, { registerModelPlanSalt }] = await Promise.all([import("./commands/modelCheck.ts"), import("./commands/modelPlanSalt.ts")]);
    const model = program.command("model").description("seller tools for model files");
    registerModelCheck(model, globals);
    registerModelPlanSalt(model, globals);
  },
  async worker(program) {
    const { registerWorkerStart } = await import("./commands/workerStart.ts");
    registerWorkerStart(program.command("worker").description("the seller's evaluation worker"));
  },
  async auction(program, globals) {
    const [{ registerAuctionCreate }, { registerAuctionSettle }] = await Promise.all([import("./commands/auctionCreate.ts"), import("./commands/auctionSettle.ts")]);
    const auction = program.command("auction").description("sealed-bid auctions of auction-mode listings");
    registerAuctionCreate(auction, globals);
    registerAuctionSettle(auction, globals);
  },
  async bid(program, globals) {
    const [{ registerBid }, { registerBidReclaim }] = await Promise.all([import("./commands/bid.ts"), import("./commands/bidReclaim.ts")]);
    registerBidReclaim(registerBid(program, globals), globals);
  },
  async reveal(program, globals) {
    (await import("./commands/reveal.ts")).registerReveal(program, globals);
  },
  async status(program, globals) {
    const [{ registerStatusAuction }, { registerStatusPurchase }, { registerStatusTest }] = await Promise.all([
      import("./commands/statusAuction.ts"),
      import("./commands/statusPurchase.ts"),
      import("./commands/statusTest.ts"),
    ]);
    const status = program.command("status").description("where a test-drive, auction or purchase stands, and what to do next");
    registerStatusAuction(status, globals);
    registerStatusPurchase(status, globals);
    registerStatusTest(status, globals);
  },
  async listings(program, globals) {
    (await import("./commands/listings.ts")).registerListings(program, globals);
  },
  async recommend(program, globals) {
    (await import("./commands/recommend.ts")).registerRecommend(program, globals);
  },
  async list(program, globals) {
    (await import("./commands/list.ts")).registerList(program, globals);
  },
  async listing(program, globals) {
    (await import("./commands/listing.ts")).registerListing(program, globals);
  },
  async buy(program, globals) {
    (await import("./commands/buy.ts")).registerBuy(program, globals);
  },
  async deliver(program, globals) {
    (await import("./commands/deliver.ts")).registerDeliver(program, globals);
  },
  async download(program, globals) {
    (await import("./commands/download.ts")).registerDownload(program, globals);
  },
  async withdraw(program, globals) {
    (await import("./commands/withdraw.ts")).registerWithdraw(program, globals);
  },
  async audit(program, globals) {
    (await import("./commands/audit.ts")).registerAudit(program, globals);
  },
  async "test-drive"(program, globals) {
    (await import("./commands/testDrive.ts")).registerTestDrive(program, globals);
  },
  async dispute(program, globals) {
    (await import("./commands/dispute.ts")).registerDispute(program, globals);
  },
  async contest(program, globals) {
    (await import("./commands/contest.ts")).registerContest(program, globals);
  },
  async watermark(program, globals) {
    (await import("./commands/watermark.ts")).registerWatermark(program, globals);
  },
  async trace(program, globals) {
    (await import("./commands/trace.ts")).registerTrace(program, globals);
  },
  async dev(program, globals) {
    const { registerDev } = await import("./commands/dev.ts");
    registerDev(program.command("dev").description("tools for npm start's local development chain (e.g. move its clock forward)"), globals);
  },
};

/**
 * The program for `argv`: with only the command it names when that is a known top-level
 * command, with all of them otherwise (the overview help, `help <command>`, a misspelt command
 * that commander answers with suggestions).
 */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command("bazaar")
    .description("ModelBazaar: test-drive, buy and sell machine-learning models with trust")
    .option("--json", "print machine-readable JSON")
    .addHelpText(
      "after",
      [
        "",
        "Chain: --rpc <url>, MODELBAZAAR_RPC_URL or MODELBAZAAR_RPC_PORT when set; else the npm start running on this machine, found by itself; else http://127.0.0.1:8545.",
        "Account: MODELBAZAAR_KEYSTORE (an encrypted key file: bazaar account new) or MODELBAZAAR_PRIVATE_KEY (npm start prints its dev accounts' keys).",
        "Time: on npm start's chain, `bazaar dev advance 1d` ends windows of days at once.",
      ].join("\n"),
    )
    .showHelpAfterError()
    .exitOverride();
  const globals: Globals = () => program.opts<GlobalOptions>();
  const named = argv.find((arg) => !arg.startsWith("-"));
  const wanted = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
  for (const name of wanted) await COMMANDS[name]!(program, globals);
  return program;
}

export async function runCli(argv: readonly string[]): Promise<number> {
  try {
    await (await buildProgram(argv)).parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode; // commander printed the usage error or help
    return reportFailure(error);
  }
}

if (import.meta.main) process.exitCode = await runCli(process.argv.slice(2));
