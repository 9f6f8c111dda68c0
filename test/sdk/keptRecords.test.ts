/**
 * The records a buyer and a bidder keep between sessions have one shape, check and JSON in the
 * SDK (testDrives/keptTestDrive.ts, auctions/keptBid.ts), used by `bazaar` and the dApp alike.
 * Records written before the shape was shared, by either, still load (the literals below are
 * what the CLI's testDriveRecord.ts / bidSecrets.ts and the dApp's keptTestDrive.ts / keptBid.ts
 * wrote); a damaged or foreign record is refused with a sentence naming the field; a record
 * survives its JSON unchanged.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEther } from "viem";
import { deserializeKeptBid, keptBidOf, parseKeptBid, sealBid, serializeKeptBid } from "@modelbazaar/sdk/auctions";
import { KeptRecordError } from "@modelbazaar/sdk/client";
import { deserializeKeptTestDrive, parseKeptTestDrive, serializeKeptTestDrive } from "@modelbazaar/sdk/testDrives";

const BUYER = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
const MARKET = "0xA51c1fc2f0D1a1b8494Ed1FE312d7C3a78Ed91C0";
const COMMITMENT = `0x${"ab".repeat(32)}` as const;
const SALT = `0x${"cd".repeat(32)}` as const;
/** The test set's secrets, the same in both writers' records. */
const TEST_SET = {
  salt: "987654321",
  labels: [0, 2],
  quantized: [
    [33000, 33100, 32900, 32800],
    [34000, 33500, 35000, 33700],
  ],
};

/** A record as `bazaar test-drive` kept it (scripts/cli/testDriveRecord.ts before the SDK shape). */
const OLD_CLI_TEST_DRIVE = {
  listingId: "1",
  buyer: BUYER,
  workerEndpoint: "http://127.0.0.1:8787",
  claimedAccuracyBps: 9000,
  classCount: 3,
  modelName: "Iris MLP",
  classNames: ["setosa", "versicolor", "virginica"],
  encoding: { featureCount: 4, featureBits: 16, scaleBits: 8 },
  sampleCount: 2,
  dataCommitment: COMMITMENT,
  featuresRoot: "1234567890",
  ...TEST_SET,
  createdAt: "2026-11-30T10:00:00.000Z",
  stage: "receipted",
  testId: "1",
  openTx: `0x${"01".repeat(32)}`,
  jobId: "job-1",
  resultHash: `0x${"02".repeat(32)}`,
  receiptSignature: `0x${"03".repeat(65)}`,
  predictions: [0, 1],
  accuracyBps: 5000,
};

/** A record as the dApp kept it in localStorage (app/src/testDrive/keptTestDrive.ts before the SDK shape). */
const OLD_DAPP_TEST_DRIVE = {
  chainId: 31337,
  market: MARKET,
  listingId: "1",
  buyer: BUYER,
  sampleCount: 2,
  classCount: 3,
  claimedAccuracyBps: 9000,
  dataCommitment: COMMITMENT,
  ...TEST_SET,
  createdAt: "2026-11-30T10:00:00.000Z",
  stage: "claimed",
  testId: "1",
  resultHash: `0x${"02".repeat(32)}`,
  predictions: [0, 1],
  refundTx: `0x${"04".repeat(32)}`,
  exportedAt: "2026-11-30T10:05:00.000Z",
};

describe("the kept test-drive, one shape for the CLI and the dApp", () => {
  it("loads a record the CLI wrote before the shape was shared, field for field", () => {
    assert.deepEqual(stripUndefined(deserializeKeptTestDrive(JSON.stringify(OLD_CLI_TEST_DRIVE))), OLD_CLI_TEST_DRIVE);
  });

  it("loads a record the dApp kept in localStorage before the shape was shared, field for field", () => {
    assert.deepEqual(stripUndefined(deserializeKeptTestDrive(JSON.stringify(OLD_DAPP_TEST_DRIVE))), OLD_DAPP_TEST_DRIVE);
  });

  it("survives its own JSON", () => {
    const record = parseKeptTestDrive(OLD_CLI_TEST_DRIVE);
    assert.deepEqual(stripUndefined(deserializeKeptTestDrive(serializeKeptTestDrive(record))), stripUndefined(record));
  });

  it("refuses a damaged or foreign record with a sentence naming the field", () => {
    const refused = (value: unknown, pattern: RegExp) => assert.throws(() => parseKeptTestDrive(value, "the file t.json"), (e: unknown) => e instanceof KeptRecordError && pattern.test(e.message));
    refused({ ...OLD_CLI_TEST_DRIVE, salt: 12 }, /^the file t\.json has no valid "salt" \(a decimal whole number as a string\)$/);
    refused({ ...OLD_CLI_TEST_DRIVE, labels: [0, "2"] }, /no valid "labels"/);
    refused({ ...OLD_CLI_TEST_DRIVE, stage: "paid" }, /no valid "stage" \(one of committed, opened/);
    refused({ ...OLD_CLI_TEST_DRIVE, dataCommitment: "0x1234" }, /no valid "dataCommitment" \(0x-hex of 32 bytes\)/);
    refused({ ...OLD_CLI_TEST_DRIVE, encoding: { featureCount: 4 } }, /the "encoding" of the file t\.json has no valid "featureBits"/);
    refused([OLD_CLI_TEST_DRIVE], /the file t\.json is not a JSON object/);
    assert.throws(() => deserializeKeptTestDrive("{ not json", "the file t.json"), /^KeptRecordError: the file t\.json is not JSON$/);
  });
});

describe("the kept bid, one shape for the CLI and the dApp", () => {
  /** A sealing as `bazaar bid` kept it (scripts/cli/bidSecrets.ts before the SDK shape). */
  const OLD_CLI_BID = { auctionId: "1", bidder: BUYER, amount: "2000000000000000000", salt: SALT, commitment: COMMITMENT, collateral: "2500000000000000000", testId: "3", sealedAt: "2026-11-30T10:00:00.000Z" };
  /** A sealing as the dApp kept it (app/src/auction/keptBid.ts before the SDK shape: `createdAt`, no test id). */
  const OLD_DAPP_BID = { chainId: 31337, market: MARKET, auctionId: "1", bidder: BUYER, amount: "2000000000000000000", salt: SALT, commitment: COMMITMENT, collateral: "2500000000000000000", createdAt: "2026-11-30T10:00:00.000Z" };

  it("loads a sealing the CLI kept before the shape was shared, field for field", () => {
    assert.deepEqual(stripUndefined(parseKeptBid(OLD_CLI_BID)), OLD_CLI_BID);
  });

  it("loads a sealing the dApp kept before the shape was shared, its createdAt read as sealedAt", () => {
    const { createdAt, ...rest } = OLD_DAPP_BID;
    assert.deepEqual(stripUndefined(deserializeKeptBid(JSON.stringify(OLD_DAPP_BID))), { ...rest, sealedAt: createdAt });
  });

  it("keeps a fresh sealing's secret, which survives its JSON", () => {
    const sealed = sealBid({ auctionId: 7n, bidder: BUYER, amount: parseEther("1.5"), collateral: parseEther("2") });
    const kept = keptBidOf(sealed, { chainId: 31337, market: MARKET, testId: 4n });
    assert.deepEqual([kept.auctionId, kept.amount, kept.salt, kept.commitment, kept.collateral, kept.testId], ["7", parseEther("1.5").toString(), sealed.salt, sealed.commitment, parseEther("2").toString(), "4"]);
    assert.deepEqual(stripUndefined(deserializeKeptBid(serializeKeptBid(kept))), stripUndefined(kept));
  });

  it("refuses a file that holds no bid secret, or a damaged one, with a sentence", () => {
    assert.throws(() => deserializeKeptBid(JSON.stringify({ hello: 1 }), "the file"), /^KeptRecordError: the file holds no bid secret \(amount, salt and commitment\)$/);
    assert.throws(() => parseKeptBid({ ...OLD_CLI_BID, amount: "2 ETH" }, "the file"), /the file has no valid "amount" \(a decimal whole number as a string\)/);
    assert.throws(() => parseKeptBid({ ...OLD_CLI_BID, salt: "0x12" }, "the file"), /no valid "salt" \(0x-hex of 32 bytes\)/);
    assert.throws(() => parseKeptBid({ ...OLD_CLI_BID, sealedAt: undefined }, "the file"), /no valid "createdAt"/);
  });
});

/** The record as JSON keeps it: a field that is undefined is no field. */
function stripUndefined<T extends object>(record: T): T {
  return JSON.parse(JSON.stringify(record)) as T;
}
