/**
 * The buyer's side of a per-buyer copy's CopyReceipt (docs/PROTOCOL.md §7.2), on Hardhat's
 * chain with the real registry and market: checkCopyReceipt keeps a receipt the listing's
 * worker signer signed in the market's EIP-712 domain and refuses, with a sentence, one signed
 * by anyone else or naming another test; the kept form survives the kept record's JSON and a
 * damaged one is refused; findCopyReceipt finds a kept receipt only for the purchase's listing,
 * root and size.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Hex } from "viem";
import { checkCopyReceipt, CopyReceiptRefusedError, readMarketDomain } from "@modelbazaar/sdk/actions";
import { KeptRecordError } from "@modelbazaar/sdk/client";
import { modelRootOf } from "@modelbazaar/sdk/delivery";
import { deserializeKeptTestDrive, findCopyReceipt, parseKeptTestDrive, serializeKeptTestDrive, type KeptTestDrive } from "@modelbazaar/sdk/testDrives";
import { copyReceiptTypes, type CopyReceipt } from "@modelbazaar/sdk/worker";
import { connectMarket } from "../helpers/market.ts";

const COPY = modelRootOf(new Uint8Array(1_000).map((_, i) => (i * 7) % 251));

describe("the buyer's CopyReceipt: checked, kept, found", () => {
  let m: Awaited<ReturnType<typeof connectMarket>>;
  let c: Awaited<ReturnType<typeof m.load>>;
  let listingId: bigint;
  let testId: bigint;
  let receipt: CopyReceipt;

  /** A CopyReceipt of `testId` signed by `signer` (a dev wallet) in the market's domain. */
  async function signed(signer: NonNullable<(typeof m.accounts)["worker"]>, forTest = testId): Promise<CopyReceipt> {
    const domain = await readMarketDomain(m.publicClient, { market: c.market.address });
    const message = { testId: forTest, copyRoot: COPY.root, copySize: COPY.size };
    return { ...message, signature: await signer.signTypedData({ account: signer.account, domain, types: copyReceiptTypes, primaryType: "CopyReceipt", message }) };
  }

  const deployment = () => ({ market: c.market.address, registry: c.registry.address });

  before(async () => {
    m = await connectMarket();
    c = await m.load();
    listingId = await m.list(c); // its worker signer: the fixture's `worker` account
    ({ testId } = await m.openTest(c, listingId));
    receipt = await signed(m.accounts.worker!);
  });

  it("keeps a receipt signed by the listing's worker signer, and refuses another signer's or another test's with a sentence", async () => {
    const kept = await checkCopyReceipt(m.publicClient, { deployment: deployment(), listingId, testId, receipt });
    assert.deepEqual(kept, { copyRoot: COPY.root, copySize: COPY.size.toString(), signature: receipt.signature });

    const forged = await signed(m.accounts.mallory!);
    await assert.rejects(
      checkCopyReceipt(m.publicClient, { deployment: deployment(), listingId, testId, receipt: forged }),
      (e) => e instanceof CopyReceiptRefusedError && new RegExp(`copy receipt for test-drive ${testId} .* is not signed by listing ${listingId}'s worker signer ${m.accounts.worker!.account.address}, so it is not kept`, "i").test(e.message),
    );
    await assert.rejects(
      checkCopyReceipt(m.publicClient, { deployment: deployment(), listingId, testId, receipt: { ...receipt, copySize: COPY.size + 1n } }),
      CopyReceiptRefusedError,
      "an altered size no longer matches the signature",
    );
    await assert.rejects(
      checkCopyReceipt(m.publicClient, { deployment: deployment(), listingId, testId: testId + 1n, receipt }),
      (e) => e instanceof CopyReceiptRefusedError && new RegExp(`names test-drive ${testId}, not ${testId + 1n}`).test(e.message),
    );
  });

  it("survives the kept record's JSON, refuses a damaged one, and is found only for the purchase's listing, root and size", () => {
    const record: KeptTestDrive = {
      listingId: listingId.toString(),
      buyer: m.accounts.buyer!.account.address,
      sampleCount: 50,
      classCount: 3,
      claimedAccuracyBps: 9000,
      dataCommitment: `0x${"ab".repeat(32)}`,
      salt: "1",
      labels: [],
      quantized: [],
      createdAt: "2026-12-07T00:00:00.000Z",
      stage: "receipted",
      testId: testId.toString(),
      copyReceipt: { copyRoot: COPY.root, copySize: COPY.size.toString(), signature: receipt.signature },
    };
    const read = deserializeKeptTestDrive(serializeKeptTestDrive(record));
    assert.deepEqual(read.copyReceipt, record.copyReceipt);
    assert.throws(() => parseKeptTestDrive({ ...record, copyReceipt: { ...record.copyReceipt, copyRoot: "0x1234" } }), (e) => e instanceof KeptRecordError && /"copyReceipt" of the kept test-drive has no valid "copyRoot" \(0x-hex of 32 bytes\)/.test(e.message));
    assert.throws(() => parseKeptTestDrive({ ...record, copyReceipt: { ...record.copyReceipt, copySize: 1000 } }), (e) => e instanceof KeptRecordError && /"copySize"/.test(e.message));

    const without: KeptTestDrive = { ...record, testId: (testId + 1n).toString(), copyReceipt: undefined };
    const kept = [without, read];
    const upper = COPY.root.toUpperCase().replace("0X", "0x") as Hex;
    assert.deepEqual(findCopyReceipt(kept, { listingId, copyRoot: upper, copySize: COPY.size }), { testId, copyRoot: COPY.root, copySize: COPY.size, signature: receipt.signature });
    assert.equal(findCopyReceipt(kept, { listingId: listingId + 1n, copyRoot: COPY.root, copySize: COPY.size }), undefined, "another listing");
    assert.equal(findCopyReceipt(kept, { listingId, copyRoot: COPY.root, copySize: COPY.size - 1n }), undefined, "another size");
    assert.equal(findCopyReceipt(kept, { listingId, copyRoot: `0x${"00".repeat(32)}`, copySize: COPY.size }), undefined, "another root");
    assert.equal(findCopyReceipt([without], { listingId, copyRoot: COPY.root, copySize: COPY.size }), undefined, "no receipt kept");
  });
});
