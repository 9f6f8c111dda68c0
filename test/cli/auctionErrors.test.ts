/**
 * The auction commands' unhappy paths against a real Hardhat node with the market deployed
 * (test/helpers/cliStack.ts; the CLI as a child process with dev keys): an unknown auction, a
 * bid below the reserve or above its collateral, the seller bidding, a test-drivers-only
 * auction without a test-drive, a bid whose ether cannot cover the penalty its test-drive's
 * deposit could owe, a second bid, a reveal without the local secret or without a
 * bid, a reclaim before the reveal window closes, a listing that is not the caller's, a
 * malformed option and a missing key. Each is one sentence on stderr and exit code 1.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { formatEther, parseEventLogs } from "viem";
import { devAccountKey } from "../../scripts/lib/demoListings.ts";
import { devAddress, listAuctionModel } from "../helpers/auctionListing.ts";
import { startCliStack, type CliResult, type CliStack } from "../helpers/cliStack.ts";

const SELLER = 1;
const BIDDER = 4;
const OTHER = 5;

function assertSentence(result: CliResult, pattern: RegExp): void {
  assert.equal(result.code, 1, `expected a failure, got: ${result.stdout}${result.stderr}`);
  assert.match(result.stderr, /^bazaar: [^\n]+\n$/, "one line");
  assert.match(result.stderr, pattern);
}

describe("bazaar auction commands refuse bad input (local chain)", { timeout: 600_000 }, () => {
  let stack: CliStack;
  let listingId: string;
  let auctionId: string;
  before(async () => {
    stack = await startCliStack();
    listingId = String(await listAuctionModel(stack, SELLER));
  });
  after(async () => stack?.stop());

  const create = (extra: readonly string[], as = SELLER) =>
    stack.bazaar(["--json", "auction", "create", listingId, "--kind", "first-price", "--reserve", "1", "--bidding", "1h", "--reveal", "1h", ...extra], as);

  it("refuses an unknown auction, a bid below the reserve or its collateral, the seller and non-test-drivers", async () => {
    const [open, testers] = await Promise.all([create([]), create(["--testers-only"])]);
    assert.equal(open.code, 0, open.stderr);
    auctionId = (JSON.parse(open.stdout) as { auctionId: string }).auctionId;
    const testersOnly = (JSON.parse(testers.stdout) as { auctionId: string }).auctionId;
    const [unknown, belowReserve, lowCollateral] = await Promise.all([
      stack.bazaar(["status", "auction", "999"], null),
      stack.bazaar(["bid", auctionId, "0.5"], BIDDER),
      stack.bazaar(["bid", auctionId, "2", "--collateral", "1.5"], BIDDER),
    ]);
    assertSentence(unknown, /^bazaar: auction 999 does not exist\n$/);
    assertSentence(belowReserve, /your bid of 0\.5 ETH is below the reserve of 1 ETH, so it could not win/);
    assertSentence(lowCollateral, /the collateral \(1\.5 ETH\) must be at least the bid \(2 ETH\)/);
    const [seller, notTester] = await Promise.all([stack.bazaar(["bid", auctionId, "2"], SELLER), stack.bazaar(["bid", testersOnly, "2"], BIDDER)]);
    assertSentence(seller, /you are the seller of auction \d+ and may not bid in it/);
    assertSentence(notTester, /admits only bidders who test-drove listing \d+: pass --test <your testId>/);
  });

  it("refuses a second bid, a reclaim before the window closes, and a reveal without the local secret or without a bid", async () => {
    const first = await stack.bazaar(["bid", auctionId, "2"], BIDDER);
    assert.equal(first.code, 0, first.stderr);
    const [second, reclaimEarly] = await Promise.all([stack.bazaar(["bid", auctionId, "3"], BIDDER), stack.bazaar(["bid", "reclaim", auctionId], BIDDER)]);
    assertSentence(second, /you already bid in auction \d+; reveal it with `bazaar reveal \d+`/);
    assertSentence(reclaimEarly, /bids in auction \d+ can be reclaimed once its reveal window closes/);
    await stack.increaseTime(3_600);
    const [elsewhere, noBid] = await Promise.all([
      stack.bazaar(["reveal", auctionId], BIDDER, { MODELBAZAAR_HOME: join(stack.dir, "another-machine") }),
      stack.bazaar(["reveal", auctionId], OTHER),
    ]);
    assertSentence(elsewhere, /this machine keeps no bid secret for auction \d+ and 0x[0-9a-fA-F]{40} .* or the bid pays the 10% penalty/);
    assertSentence(noBid, /0x[0-9a-fA-F]{40} has no bid in auction \d+/);
  });

  it("refuses a bid with a test-drive's deposit whose ether cannot cover the penalty, with nothing sent", async () => {
    const created = await create(["--testers-only", "--penalty", "100"]);
    assert.equal(created.code, 0, created.stderr);
    const testersOnly = (JSON.parse(created.stdout) as { auctionId: string }).auctionId;
    const { terms } = await stack.registry.read.getListing([BigInt(listingId)]);
    const samples = terms.testPolicy.minSamples;
    const [deposit, fee] = await stack.market.read.testPrice([BigInt(listingId), samples]);
    const tester = stack.walletOf(devAccountKey(OTHER));
    const opened = await stack.publicClient.waitForTransactionReceipt({
      hash: await tester.writeContract({ address: stack.market.address, abi: stack.market.abi, functionName: "openTest", args: [BigInt(listingId), `0x${"00".repeat(31)}0c`, samples], value: deposit + fee }),
    });
    const testId = parseEventLogs({ abi: stack.market.abi, logs: opened.logs, eventName: "TestOpened" })[0]!.args.testId;
    const worker = stack.walletOf(devAccountKey(3));
    await stack.publicClient.waitForTransactionReceipt({ hash: await worker.writeContract({ address: stack.market.address, abi: stack.market.abi, functionName: "recordReceipt", args: [testId, `0x${"ef".repeat(32)}`] }) });
    const refused = await stack.bazaar(["bid", testersOnly, "2", "--collateral", "2", "--test", String(testId)], OTHER);
    assertSentence(refused, new RegExp(`with the ${formatEther(deposit).replace(".", "\\.")} ETH deposit applied, .* could owe a 100% penalty .* so lock more collateral`));
    const none = await stack.market.read.getBid([BigInt(testersOnly), devAddress(OTHER)]);
    assert.equal(none.collateral, 0n, "nothing was committed");
  });

  it("refuses someone else's listing, a malformed option and a missing key", async () => {
    const [notMine, kind, noKey] = await Promise.all([create([], BIDDER), create(["--kind", "dutch"]), stack.bazaar(["reveal", auctionId], null)]);
    assertSentence(notMine, /creating the auction failed: listing \d+ is not an active auction-mode listing of 0x/);
    assertSentence(kind, /--kind must be first-price or second-price, not "dutch"/);
    assertSentence(noKey, /set MODELBAZAAR_KEYSTORE to your encrypted key file .*or MODELBAZAAR_PRIVATE_KEY to a private key/);
  });
});
