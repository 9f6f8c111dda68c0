/**
 * The CLI's local records belong to one deployment (scripts/cli/localState.ts): chain id,
 * market address and the hash of the deployment's first block. A fresh chain (a restarted
 * `npm start`) reuses the id, the addresses and every auction, purchase and test-drive id, so
 *  - in-process: records of one deployment are invisible to another at the same address, are
 *    found as "elsewhere" and named in a sentence; files from before scopes are found as legacy;
 *  - on two fresh Hardhat chains in turn, with the same MODELBAZAAR_HOME (same addresses, same
 *    auction id 1): the first chain's bid secret is reported, not used, for the second chain's
 *    bid; a newcomer's bid and reveal on the second chain work; a secret kept in the old layout
 *    that opens the chain's commitment is taken over and revealed.
 * test/cli/restart.test.ts restarts `npm start` itself around a test-drive and a dispute.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { promisify } from "node:util";
import { parseEther, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { bidKey } from "@modelbazaar/sdk/audit";
import { sealBid } from "@modelbazaar/sdk/auctions";
import { notUsedSentence, readState, recordsElsewhere, writeStateRecord, type RecordScope } from "../../scripts/cli/localState.ts";
import { devAccountKey } from "../../scripts/lib/demoListings.ts";
import { devAddress, listAuctionModel } from "../helpers/auctionListing.ts";
import { startCliStack, type CliResult, type CliStack } from "../helpers/cliStack.ts";

const SELLER = 1;
const [OLD_BIDDER, NEWCOMER, LEGACY_BIDDER] = [4, 5, 6];
const MARKET: `0x${string}` = "0xA51c1fc2f0D1a1b8494Ed1FE312d7C3a78Ed91C0";

function scope(anchorHash: string, market: `0x${string}` = MARKET): RecordScope {
  return { chainId: 31_337, market, anchorBlock: "1", anchorHash: anchorHash as Hex };
}

/** Runs `body` with MODELBAZAAR_HOME set to `home` (a fresh directory by default), then restores it. */
function withHome(body: (home: string) => void, home = mkdtempSync(join(tmpdir(), "bazaar-records-"))): void {
  const saved = process.env.MODELBAZAAR_HOME;
  process.env.MODELBAZAAR_HOME = home;
  try {
    body(home);
  } finally {
    if (saved === undefined) delete process.env.MODELBAZAAR_HOME;
    else process.env.MODELBAZAAR_HOME = saved;
  }
}

describe("local records are tied to their deployment", { timeout: 300_000 }, () => {
  it("keeps each deployment's records apart, finds the others and names them in a sentence", () => {
    withHome((home) => {
      const earlier = scope(`0x${"aa".repeat(32)}`);
      const current = scope(`0x${"bb".repeat(32)}`);
      writeStateRecord("tests", earlier, "0x01", { testId: "1", accuracyBps: 10_000 });
      assert.deepEqual(readState("tests", earlier), { "0x01": { testId: "1", accuracyBps: 10_000 } });
      assert.deepEqual(readState("tests", current), {}, "a restarted chain at the same address sees none of the earlier chain's records");

      const [elsewhere, ...more] = recordsElsewhere<{ testId: string }>("tests", current);
      assert.equal(more.length, 0);
      assert.equal(elsewhere!.legacy, false);
      assert.deepEqual(elsewhere!.scope, earlier);
      assert.equal(elsewhere!.records["0x01"]!.testId, "1");
      const sentence = notUsedSentence("test-drive 1", elsewhere!, current);
      assert.equal(
        sentence,
        "this machine's record of test-drive 1 belongs to another chain that had the market at the same address, e.g. before npm start was restarted (its first block 1 with hash 0xaaaaaaaa…; this chain's first block 1 has hash 0xbbbbbbbb…), so it is not used",
      );
      const otherMarket = scope(`0x${"cc".repeat(32)}`, "0x0000000000000000000000000000000000000001");
      assert.match(notUsedSentence("test-drive 1", elsewhere!, otherMarket), /^this machine's record of test-drive 1 belongs to another deployment \(market 0xA51c1fc2f0D1a1b8494Ed1FE312d7C3a78Ed91C0, first block 1 with hash 0xaaaaaaaa…\), not to this chain's market 0x0{39}1, so it is not used$/);
      assert.deepEqual(recordsElsewhere("bids", current), [], "other kinds are not mixed in");

      // A file of the layout before scopes: <home>/<chainId>/<kind>.json.
      writeFileSync(join(home, "31337", "tests.json"), JSON.stringify({ "0x02": { testId: "1" } }));
      const legacy = recordsElsewhere("tests", current).find((where) => where.legacy);
      assert.ok(legacy, "the legacy file is found");
      assert.match(notUsedSentence("test-drive 1", legacy, current), /\(in .*31337\/tests\.json\) was kept before records were tied to a deployment and does not match test-drive 1 of market 0xA51c\w+ on this chain, so it is not used$/);
      assert.equal(recordsElsewhere("tests", otherMarket).length, 2, "every other deployment on the chain id is looked at");
    });
  });

  it("keeps every record when several commands write at once (a lock around each read-modify-write)", async () => {
    const home = mkdtempSync(join(tmpdir(), "bazaar-records-race-"));
    const module = new URL("../../scripts/cli/localState.ts", import.meta.url).href;
    const writers = Array.from({ length: 8 }, (_, i) =>
      promisify(execFile)(process.execPath, [
        "--input-type=module",
        "-e",
        `const { writeStateRecord } = await import(${JSON.stringify(module)}); for (let k = 0; k < 20; k++) writeStateRecord("bids", ${JSON.stringify(scope(`0x${"dd".repeat(32)}`))}, "w${i}-" + k, { k });`,
      ], { env: { ...process.env, MODELBAZAAR_HOME: home } }),
    );
    await Promise.all(writers);
    withHome(() => assert.equal(Object.keys(readState("bids", scope(`0x${"dd".repeat(32)}`))).length, 8 * 20, "no writer dropped another's record"), home);
  });

  describe("bids on a second fresh chain at the same address", () => {
    const home = mkdtempSync(join(tmpdir(), "bazaar-records-home-"));
    let stack: CliStack | undefined;
    after(async () => stack?.stop());
    const as = (who: number, args: string[]): Promise<CliResult> => stack!.bazaar(args, who, { MODELBAZAAR_HOME: home });
    const auction = async (): Promise<string> => {
      const listingId = await listAuctionModel(stack!, SELLER);
      const created = await as(SELLER, ["--json", "auction", "create", String(listingId), "--kind", "first-price", "--reserve", "1", "--bidding", "1h", "--reveal", "1h"]);
      assert.equal(created.code, 0, created.stderr);
      return (JSON.parse(created.stdout) as { auctionId: string }).auctionId;
    };

    it("reports the earlier chain's secret and never uses it; a newcomer bids and reveals; an old-layout secret that opens the commitment is taken over", async () => {
      stack = await startCliStack();
      const firstMarket = stack.market.address;
      const first = await auction();
      const kept = await as(OLD_BIDDER, ["bid", first, "2"]);
      assert.equal(kept.code, 0, kept.stderr);
      await stack.stop();

      stack = await startCliStack();
      assert.equal(stack.market.address, firstMarket, "the fresh chain puts the market at the same address");
      const second = await auction();
      assert.equal(second, first, "and the auction gets the same id");
      // The same bidder bids on the new chain from another machine: this machine has only the old chain's secret.
      const elsewhere = sealBid({ auctionId: BigInt(second), bidder: devAddress(OLD_BIDDER), amount: parseEther("3") });
      await stack.market.write.commitBid([elsewhere.auctionId, elsewhere.commitment, 0n], { account: privateKeyToAccount(devAccountKey(OLD_BIDDER)), value: elsewhere.collateral });
      // An old CLI kept this bidder's secret in the layout before scopes.
      const legacy = sealBid({ auctionId: BigInt(second), bidder: devAddress(LEGACY_BIDDER), amount: parseEther("1.5") });
      await stack.market.write.commitBid([legacy.auctionId, legacy.commitment, 0n], { account: privateKeyToAccount(devAccountKey(LEGACY_BIDDER)), value: legacy.collateral });
      const secret = { auctionId: second, bidder: legacy.bidder, amount: legacy.amount.toString(), salt: legacy.salt, commitment: legacy.commitment, collateral: legacy.collateral.toString(), testId: "0", sealedAt: new Date().toISOString() };
      mkdirSync(join(home, "31337"), { recursive: true });
      writeFileSync(join(home, "31337", "bids.json"), JSON.stringify({ [bidKey(legacy.auctionId, legacy.bidder)]: { secrets: [secret] } }));
      const newcomer = await as(NEWCOMER, ["bid", second, "2.5"]);
      assert.equal(newcomer.code, 0, newcomer.stderr);

      await stack.increaseTime(3_600);
      const refused = await as(OLD_BIDDER, ["reveal", second]);
      assert.equal(refused.code, 1, refused.stdout);
      assert.match(refused.stderr, /^bazaar: this machine's record of your bid in auction 1 belongs to another chain that had the market at the same address, e\.g\. before npm start was restarted \(its first block \d+ with hash 0x[0-9a-f]{8}…; this chain's first block \d+ has hash 0x[0-9a-f]{8}…\), so it is not used; /);
      assert.match(refused.stderr, /so it is not used; this machine keeps no bid secret for auction 1 and 0x[0-9a-fA-F]{40} on this deployment/);
      const status = await as(OLD_BIDDER, ["--json", "status", "auction", second]);
      assert.equal((JSON.parse(status.stdout) as { revealedCount: number }).revealedCount, 0, "nothing was revealed with the old secret");

      const revealed = await as(NEWCOMER, ["--json", "reveal", second]);
      assert.equal(revealed.code, 0, revealed.stderr);
      assert.equal((JSON.parse(revealed.stdout) as { valid: boolean }).valid, true);
      const adopted = await as(LEGACY_BIDDER, ["--json", "reveal", second]);
      assert.equal(adopted.code, 0, adopted.stderr);
      assert.equal(BigInt((JSON.parse(adopted.stdout) as { amount: string }).amount), parseEther("1.5"), "the old-layout secret opened the chain's commitment");
    });
  });
});
