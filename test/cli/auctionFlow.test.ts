/**
 * `bazaar auction create|settle`, `bid`, `reveal`, `bid reclaim` and `status auction` run as a
 * user runs them (child processes with dev keys) against a real Hardhat node with the market
 * deployed (test/helpers/cliStack.ts): three bidders bid, reveal and settle in a first-price
 * and a Vickrey auction; the highest bid wins at the right price, the winner's payment opens a
 * purchase, losers reclaim everything, the winner its collateral minus the price, and a bidder
 * who never reveals pays the penalty. Chain time moves with evm_increaseTime to skip windows.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parseEther } from "viem";
import { devAddress, listAuctionModel } from "../helpers/auctionListing.ts";
import { recordFile, startCliStack, type CliResult, type CliStack } from "../helpers/cliStack.ts";

const SELLER = 1;
const ANYONE = 2;
const [A, B, C, D] = [4, 5, 6, 7];
const HOUR = 3_600;

function json<T>(result: CliResult): T {
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as T;
}

describe("bazaar auction commands (local chain)", { timeout: 600_000 }, () => {
  let stack: CliStack;
  let listingId: bigint;
  before(async () => {
    stack = await startCliStack();
    listingId = await listAuctionModel(stack, SELLER);
  });
  after(async () => stack?.stop());

  async function createAuction(kind: string): Promise<string> {
    const args = ["--json", "auction", "create", String(listingId), "--kind", kind, "--reserve", "1", "--bidding", "1h", "--reveal", "1h", "--penalty", "10"];
    return json<{ auctionId: string }>(await stack.bazaar(args, SELLER)).auctionId;
  }

  it("first-price: the highest revealed bid wins at its own price; losers reclaim all; a non-revealer pays 10%", async () => {
    const id = await createAuction("first-price");
    type Bid = { amount: string; collateral: string; commitment: string; randomPad: string };
    const [a, b] = (await Promise.all([stack.bazaar(["--json", "bid", id, "2"], A), stack.bazaar(["--json", "bid", id, "3", "--collateral", "4"], B)])).map((r) => json<Bid>(r));
    const [c, d] = (await Promise.all([stack.bazaar(["--json", "bid", id, "1.5"], C), stack.bazaar(["--json", "bid", id, "2.5", "--collateral", "3"], D)])).map((r) => json<Bid>(r));
    assert.equal(BigInt(a!.collateral), BigInt(a!.amount) + BigInt(a!.randomPad), "default collateral = bid + random pad");
    assert.ok(BigInt(a!.collateral) >= parseEther("2") && BigInt(a!.collateral) <= parseEther("4"));
    assert.deepEqual([b!.collateral, d!.collateral, b!.randomPad], [parseEther("4").toString(), parseEther("3").toString(), "0"]);
    // the salt was kept locally, under the commitment the chain holds
    const state = JSON.parse(readFileSync(recordFile(join(stack.dir, "home"), "bids"), "utf8")) as Record<string, { secrets: { commitment: string; salt: string }[] }>;
    assert.equal(state[`${id}:${devAddress(C).toLowerCase()}`]?.secrets[0]?.commitment, c!.commitment);

    const early = await stack.bazaar(["reveal", id], A);
    assert.equal(early.code, 1);
    assert.match(early.stderr, /^bazaar: the reveal window of auction \d+ opens at .*, in \d+ min; reveal then\n$/);

    await stack.increaseTime(HOUR);
    const reveals = await Promise.all([A, B, C].map((who) => stack.bazaar(["--json", "reveal", id], who)));
    assert.deepEqual(reveals.map((r) => json<{ valid: boolean }>(r).valid), [true, true, true]);

    await stack.increaseTime(HOUR);
    const late = await stack.bazaar(["reveal", id], D);
    assert.equal(late.code, 1);
    assert.match(late.stderr, /^bazaar: the reveal window of auction \d+ closed at .*; the unrevealed bid pays the 10% penalty/);

    const settled = json<{ winner: string; price: string; purchaseId: string }>(await stack.bazaar(["--json", "auction", "settle", id], ANYONE));
    assert.deepEqual([settled.winner, settled.price], [devAddress(B), parseEther("3").toString()]);
    const purchase = await stack.market.read.getPurchase([BigInt(settled.purchaseId)]);
    assert.deepEqual([purchase.buyer, purchase.price, purchase.listingId], [devAddress(B), parseEther("3"), Number(listingId)]);

    type Reclaim = { refund: string; penalty: string; credited: boolean };
    const [ra, rb] = (await Promise.all([stack.bazaar(["--json", "bid", "reclaim", id], A), stack.bazaar(["--json", "bid", "reclaim", id], B)])).map((r) => json<Reclaim>(r));
    const [rc, rd] = (await Promise.all([stack.bazaar(["--json", "bid", "reclaim", id, "--bidder", devAddress(C)], ANYONE), stack.bazaar(["--json", "bid", "reclaim", id], D)])).map((r) => json<Reclaim>(r));
    assert.deepEqual([ra!.refund, ra!.penalty, ra!.credited], [a!.collateral, "0", false], "a loser gets all its collateral back");
    assert.equal(rb!.refund, parseEther("1").toString(), "the winner gets its collateral minus the price");
    assert.deepEqual([rc!.refund, rc!.credited], [c!.collateral, true]);
    assert.equal(await stack.market.read.owed([devAddress(C)]), BigInt(c!.collateral), "a refund asked by someone else is credited");
    assert.deepEqual([rd!.refund, rd!.penalty], [parseEther("2.7").toString(), parseEther("0.3").toString()], "the non-revealer pays 10% of its collateral");

    const status = json<{ phase: string; bidCount: number; revealedCount: number; winner: string; purchaseId: string; next: string }>(await stack.bazaar(["--json", "status", "auction", id], SELLER));
    assert.deepEqual([status.phase, status.bidCount, status.revealedCount, status.winner, status.purchaseId], ["settled", 4, 3, devAddress(B), settled.purchaseId]);
    assert.equal(status.next, `deliver the model to the winner with \`bazaar deliver ${settled.purchaseId}\`.`);
  });

  it("Vickrey: the highest bid wins at the second-highest valid bid; status tells the winner what follows", async () => {
    const id = await createAuction("second-price");
    for (const r of await Promise.all([stack.bazaar(["bid", id, "2"], A), stack.bazaar(["bid", id, "3.2"], B)])) assert.equal(r.code, 0, r.stderr);
    await stack.increaseTime(HOUR);
    for (const r of await Promise.all([A, B].map((who) => stack.bazaar(["reveal", id], who)))) assert.equal(r.code, 0, r.stderr);
    await stack.increaseTime(HOUR);
    const settle = await stack.bazaar(["auction", "settle", id], SELLER);
    assert.equal(settle.code, 0, settle.stderr);
    assert.match(settle.stdout, new RegExp(`${devAddress(B)} won and pays 2 ETH, held in escrow as purchase (\\d+)`));
    assert.equal(await stack.market.read.clearingPrice([BigInt(id)]), parseEther("2"));
    const status = await stack.bazaar(["status", "auction", id], B);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /phase: +settled/);
    assert.match(status.stdout, /highest: +3\.2 ETH by /);
    assert.match(status.stdout, new RegExp(`winner: +${devAddress(B)} pays 2 ETH, purchase \\d+`));
    assert.match(status.stdout, /next: you won: reclaim your collateral beyond the 2 ETH price with `bazaar bid reclaim \d+`, then wait for the seller's delivery of purchase \d+/);
  });
});
