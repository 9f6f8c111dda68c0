/**
 * A purchase's delivery through the seller's worker (offchain-worker/src/http/routes/delivery.ts,
 * chain/keyRevealer.ts) against the real contracts on Hardhat's in-process chain and real
 * EIP-712 signatures: the seller hands over the package it committed to, the worker serves the
 * encrypted file to the purchase's buyer alone, reveals the key on-chain as soon as the buyer
 * accepts (also when the acceptance happened while the worker was down), and drops the file
 * once the purchase ends. Every refusal is checked with its status and code. A hand-over is
 * received under the test uploads' limits (size, minimum rate, slots), and one signed by
 * anyone who sells no listing served here is refused without a chain read.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { toFunctionSelector, toHex, type Hex, type LocalAccount } from "viem";
import { encodeDeliveryFile, encodeDeliveryPackage } from "@modelbazaar/sdk/delivery";
import { DELIVERY_HEADERS, signDeliveryTransfer, type UploadSigner } from "@modelbazaar/sdk/worker";
import type { WorkerHandle } from "../../offchain-worker/src/startWorker.ts";
import { PRICE, PURCHASE_STATUS } from "../helpers/market.ts";
import { UPLOAD_LIMIT, workerFixture, type JsonResponse } from "./workerFixture.ts";
import { trickle } from "./hostileClient.ts";
import { controlledRpc } from "./rpcFaults.ts";

const MIN_RATE = 4_096;
/** The chain reads that authorize a hand-over. */
const AUTHORIZING_READS = ["purchaseStatus(uint256)", "getPurchase(uint256)", "workerOf(uint256)"].map((s) => toFunctionSelector(s));

describe("deliveries through the seller's worker", async () => {
  const f = await workerFixture();
  const { m, c } = f;
  const sellerAccount = m.accounts.seller!;
  /** The seller signs with its (JSON-RPC) wallet, as a CLI session does with its account. */
  const seller: UploadSigner = { signTypedData: (typedData) => sellerAccount.signTypedData({ ...typedData, account: sellerAccount.account } as never) };
  const rpc = controlledRpc(m.connection.provider);
  let worker: WorkerHandle;
  let buyer: LocalAccount;
  let mallory: LocalAccount;

  const startWorker = () => f.start({ transport: rpc.transport, uploadMinBytesPerSecond: MIN_RATE, uploadRateGraceMs: 300 });

  before(async () => {
    worker = await startWorker();
    buyer = await f.newBuyer();
    mallory = await f.newBuyer();
  });
  after(() => worker.close());

  /** Buys the served listing as `buyer`; returns the purchase id. */
  async function buy(): Promise<bigint> {
    await c.market.write.buy([f.listingId, 0n, PRICE], { account: buyer, value: PRICE });
    const logs = await c.market.getEvents.PurchaseOpened({ buyer: buyer.address }, { fromBlock: 0n });
    return logs.at(-1)!.args.purchaseId!;
  }

  /** The seller's delivery of `purchaseId`, committed on-chain unless `commit` is false. */
  async function delivery(purchaseId: bigint, { commit = true, key }: { commit?: boolean; key?: Hex } = {}) {
    const prepared = m.delivery(m.model, key);
    if (commit) await c.market.write.commitDelivery([purchaseId, prepared.ciphertextRoot, prepared.keyHash], { account: sellerAccount.account });
    const file = encodeDeliveryFile({ purchaseId, modelSize: m.model.length, ciphertext: prepared.ciphertext, modelLeaves: prepared.modelLeaves });
    return { prepared, file, body: encodeDeliveryPackage({ key: prepared.key, file }) };
  }

  async function put(purchaseId: bigint, body: Uint8Array, signer: UploadSigner, headers?: Record<string, string>): Promise<JsonResponse & { headers: Record<string, string> }> {
    const signed = headers ?? (await signDeliveryTransfer(signer, f.context, purchaseId, body));
    const response = await fetch(`${worker.url}/purchases/${purchaseId}/delivery`, { method: "PUT", body: new Uint8Array(body), headers: { "content-type": "application/octet-stream", ...signed } });
    return { status: response.status, json: (await response.json()) as Record<string, unknown>, headers: signed };
  }

  async function get(purchaseId: bigint, signer: UploadSigner, headers?: Record<string, string>) {
    const signed = headers ?? (await signDeliveryTransfer(signer, f.context, purchaseId, new Uint8Array(0)));
    const response = await fetch(`${worker.url}/purchases/${purchaseId}/delivery`, { headers: signed });
    const bytes = new Uint8Array(await response.arrayBuffer());
    const json = response.headers.get("content-type")?.startsWith("application/json") ? (JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>) : {};
    return { status: response.status, bytes, json, headers: signed, root: response.headers.get(DELIVERY_HEADERS.ciphertextRoot) };
  }

  const refused = (response: { status: number; json: Record<string, unknown> }, status: number, error: string) => {
    assert.equal(response.status, status, JSON.stringify(response.json));
    assert.equal(response.json.error, error);
    assert.equal(typeof response.json.message, "string");
  };

  /** Waits for the purchase to reach `status` on-chain (the worker acts on its own poll), bounded. */
  async function purchaseReaches(purchaseId: bigint, status: number, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await c.market.read.purchaseStatus([purchaseId])) !== status) {
      if (Date.now() > deadline) assert.fail(`purchase ${purchaseId} did not reach status ${status}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it("refuses a hand-over before the delivery is committed on-chain, one the commitment does not open, a malformed one and one not signed by the seller", async () => {
    const purchaseId = await buy();
    const uncommitted = await delivery(purchaseId, { commit: false });
    refused(await put(purchaseId, uncommitted.body, seller), 409, "delivery_not_committed");

    const committed = await delivery(purchaseId);
    const otherKey = await delivery(purchaseId, { commit: false, key: `0x${"77".repeat(32)}` });
    refused(await put(purchaseId, otherKey.body, seller), 409, "commitment_mismatch");
    refused(await put(purchaseId, new Uint8Array([1, 2, 3]), seller), 400, "package_malformed");
    refused(await put(purchaseId, committed.body, buyer), 401, "wrong_signer");
    refused(await put(purchaseId + 1000n, committed.body, seller), 404, "purchase_not_found");
    refused(await get(purchaseId, buyer), 404, "no_delivery");
  });

  it("serves the delivery to the purchase's buyer alone, each signed request once, and reveals the key when the buyer accepts", async () => {
    const purchaseId = await buy();
    const { prepared, file, body } = await delivery(purchaseId);
    const handed = await put(purchaseId, body, seller);
    assert.equal(handed.status, 201, JSON.stringify(handed.json));
    refused(await put(purchaseId, body, seller, handed.headers), 409, "nonce_replayed");

    refused(await get(purchaseId, mallory), 401, "wrong_signer");
    const fetched = await get(purchaseId, buyer);
    assert.equal(fetched.status, 200);
    assert.deepEqual(fetched.bytes, file);
    assert.equal(fetched.root, prepared.ciphertextRoot);
    refused(await get(purchaseId, buyer, fetched.headers), 409, "nonce_replayed");
    const unsigned = await fetch(`${worker.url}/purchases/${purchaseId}/delivery`);
    assert.equal(unsigned.status, 400);

    assert.equal(await c.market.read.purchaseStatus([purchaseId]), PURCHASE_STATUS.AwaitingAcceptance, "no reveal before the buyer decides");
    await c.market.write.acceptDelivery([purchaseId], { account: buyer });
    await purchaseReaches(purchaseId, PURCHASE_STATUS.ComplaintWindow);
    const [revealed] = await c.market.getEvents.KeyRevealed({ purchaseId }, { fromBlock: 0n });
    assert.equal(revealed?.args.key, prepared.key);
  });

  it("reveals a key whose acceptance happened while it was down, and drops the delivery once the purchase ends", async () => {
    const purchaseId = await buy();
    const { body } = await delivery(purchaseId);
    assert.equal((await put(purchaseId, body, seller)).status, 201);
    await worker.close();
    await c.market.write.acceptDelivery([purchaseId], { account: buyer });
    worker = await startWorker();
    await purchaseReaches(purchaseId, PURCHASE_STATUS.ComplaintWindow);

    await c.market.write.completePurchase([purchaseId], { account: buyer });
    const path = join(f.dataDir, "blobs", "deliveries", `${purchaseId}.bin`);
    const deadline = Date.now() + 20_000;
    while (existsSync(path)) {
      if (Date.now() > deadline) assert.fail("the ended purchase's delivery was not dropped");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    refused(await get(purchaseId, buyer), 404, "no_delivery");
  });

  it("receives a hand-over under the upload limits: too large (413) and too slow (408), and the purchase takes one at a time", async () => {
    const purchaseId = await buy();
    const { body } = await delivery(purchaseId);
    const receiving = () => readdirSync(join(f.dataDir, "blobs", "incoming")).length;
    const oversized = new Uint8Array(UPLOAD_LIMIT + 1);
    refused(await put(purchaseId, oversized, seller), 413, "upload_too_large");

    const slow = await signDeliveryTransfer(seller, f.context, purchaseId, new Uint8Array(1000));
    const cut = await trickle(worker, `/purchases/${purchaseId}/delivery`, slow, { total: 1000, chunkBytes: 1, everyMs: 100, method: "PUT" });
    assert.equal(cut.status, 408, JSON.stringify(cut.json));
    assert.equal(cut.json.error, "upload_too_slow");
    assert.ok(cut.bytesSent < 1000);

    const held = trickle(worker, `/purchases/${purchaseId}/delivery`, slow, { total: 1000, chunkBytes: 1, everyMs: 100, method: "PUT" });
    for (const deadline = Date.now() + 10_000; receiving() === 0 && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(receiving(), 1, "the slow hand-over is being received");
    refused(await put(purchaseId, body, seller), 429, "too_many_uploads");
    assert.equal((await held).status, 408);
    assert.equal((await put(purchaseId, body, seller)).status, 201, "the slot is free again, and the seller's nonce was not used up");
  });

  it("refuses hand-overs signed by anyone who sells no listing served here without reading the chain", async () => {
    refused(await put(123_456n, new Uint8Array([1]), seller), 404, "purchase_not_found"); // the sellers are read once, here
    const purchaseId = await buy();
    const { body } = await delivery(purchaseId);
    const targets = Array.from({ length: 30 }, (_, i) => purchaseId + BigInt(i));
    // Reads authorizing a hand-over of these purchases (the key revealer reads earlier purchases meanwhile).
    const reads = [
      ...targets.flatMap((id) => AUTHORIZING_READS.slice(0, 2).map((selector) => `${selector}${toHex(id, { size: 32 }).slice(2)}`)),
      AUTHORIZING_READS[2]!,
    ];
    const purchaseReads = () => rpc.calls.filter((c) => c.method === "eth_call" && reads.some((read) => ((c.params as [{ data: Hex }])[0].data ?? "").startsWith(read))).length;
    const before = purchaseReads();
    for (const id of targets) refused(await put(id, body, mallory), 401, "wrong_signer");
    refused(await put(purchaseId, body, buyer), 401, "wrong_signer");
    assert.equal(purchaseReads() - before, 0, "unauthenticated hand-overs read the chain");
  });

  it("serves a held delivery to its buyer and refuses anyone else's fetch without reading the chain (even with the RPC down)", async () => {
    const purchaseId = await buy();
    const { file, body } = await delivery(purchaseId);
    assert.equal((await put(purchaseId, body, seller)).status, 201);
    rpc.down = true;
    try {
      for (let i = 0; i < 5; i++) refused(await get(purchaseId, mallory), 401, "wrong_signer");
      const fetched = await get(purchaseId, buyer);
      assert.equal(fetched.status, 200, JSON.stringify(fetched.json));
      assert.deepEqual(fetched.bytes, file);
    } finally {
      rpc.down = false;
    }
  });
});
