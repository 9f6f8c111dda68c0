/**
 * The buyer's purchase actions the dApp and `bazaar download` share, against the real market:
 * findPurchases (sdk/src/actions/findPurchases.ts) lists one buyer's purchases and nobody
 * else's, newest first; receivedDelivery (fetchPurchaseDelivery.ts) pairs a delivery file with
 * the chain's committed ciphertext root and the listing's model root and size, and refuses a
 * purchase with no commitment yet and another purchase's file (a seller, or anyone in between,
 * handing the buyer a delivery that is not this purchase's); fetchPurchaseDelivery takes from the
 * listing's worker no more bytes than the delivery file of the listing's on-chain model size
 * holds: a hostile worker that announces or streams more is cut off with a sentence.
 */
import assert from "node:assert/strict";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { parseEventLogs, type PublicClient } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { fetchPurchaseDelivery, findPurchases, PurchaseDeliveryError, readPurchase, receivedDelivery } from "@modelbazaar/sdk/actions";
import { checkCiphertext, deliveryFileSize, encodeDeliveryFile, prepareDelivery, type DeliveryFile } from "@modelbazaar/sdk/delivery";
import { WorkerClientError } from "@modelbazaar/sdk/worker";
import { connectMarket, PRICE } from "../helpers/market.ts";

describe("the buyer's purchase actions", async () => {
  const m = await connectMarket();
  const { seller, buyer, alice } = m.accounts;
  const client = m.publicClient as PublicClient;

  async function setup() {
    const c = await m.load();
    const listingId = await m.list(c);
    const deployment = { registry: c.registry.address, market: c.market.address, startBlock: 0n };
    const buy = async (who: typeof buyer) => {
      const receipt = await m.publicClient.waitForTransactionReceipt({ hash: await c.market.write.buy([listingId, 0n, PRICE], { account: who.account, value: PRICE }) });
      const [opened] = parseEventLogs({ abi: c.market.abi, logs: receipt.logs, eventName: "PurchaseOpened" });
      return opened!.args.purchaseId;
    };
    return { c, listingId, deployment, buy };
  }

  it("findPurchases lists the buyer's purchases, newest first, and no one else's", async () => {
    const { deployment, listingId, buy } = await setup();
    const first = await buy(buyer);
    const others = await buy(alice);
    const second = await buy(buyer);
    const mine = await findPurchases(client, deployment, buyer.account.address);
    assert.deepEqual(mine.map((p) => p.purchaseId), [second, first]);
    assert.ok(mine.every((p) => p.listingId === listingId && p.price === PRICE && p.testId === 0n));
    assert.deepEqual((await findPurchases(client, deployment, alice.account.address)).map((p) => p.purchaseId), [others]);
    assert.deepEqual(await findPurchases(client, deployment, seller.account.address), []);
  });

  it("receivedDelivery pairs the file with the chain's roots, and refuses an uncommitted purchase or another purchase's file", async () => {
    const { c, listingId, deployment, buy } = await setup();
    const purchaseId = await buy(buyer);
    const d = prepareDelivery(m.model);
    const file: DeliveryFile = { purchaseId, modelSize: m.model.length, ciphertext: d.ciphertext, modelLeaves: d.modelLeaves };

    const uncommitted = await readPurchase(client, deployment, purchaseId);
    await assert.rejects(receivedDelivery(client, deployment, uncommitted, file, "the file"), (e) => e instanceof PurchaseDeliveryError && e.message === `the seller has not committed a delivery of purchase ${purchaseId} yet`);

    await m.publicClient.waitForTransactionReceipt({ hash: await c.market.write.commitDelivery([purchaseId, d.ciphertextRoot, d.keyHash], { account: seller.account }) });
    const view = await readPurchase(client, deployment, purchaseId);
    const received = await receivedDelivery(client, deployment, view, file, "the file");
    const [modelRoot, modelSize] = await c.registry.read.deliveryTerms([listingId]);
    assert.deepEqual([received.ciphertextRoot, received.modelRoot, received.modelSize], [d.ciphertextRoot, modelRoot, Number(modelSize)]);
    assert.deepEqual(checkCiphertext(received), { ok: true });

    const otherPurchase = { ...file, purchaseId: purchaseId + 1n };
    await assert.rejects(
      receivedDelivery(client, deployment, view, otherPurchase, "the file"),
      (e) => e instanceof PurchaseDeliveryError && e.message === `the file holds the delivery of purchase ${purchaseId + 1n}, not of purchase ${purchaseId}`,
    );
  });

  it("fetchPurchaseDelivery cuts off a worker that announces or streams more than the on-chain model size's delivery file", async () => {
    const d = prepareDelivery(m.model);
    const cap = deliveryFileSize(m.model.length);
    /** A hostile worker: 8 MiB with no length announced (the old client took it all), or a length above the cap announced. */
    const served: ("streamed" | "announced")[] = [];
    const server = createServer((_request, response: ServerResponse) => {
      if (served.shift() === "announced") {
        response.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(cap + 1) });
        response.end(new Uint8Array(cap + 1));
        return;
      }
      response.writeHead(200, { "content-type": "application/octet-stream" });
      const block = new Uint8Array(64 * 1024);
      let left = 128;
      const pump = () => {
        while (left > 0 && !response.destroyed) {
          left--;
          if (!response.write(block)) return void response.once("drain", pump);
        }
        response.end();
      };
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const c = await m.load();
      const listingId = await m.list(c, { workerEndpoint: url });
      const deployment = { registry: c.registry.address, market: c.market.address, startBlock: 0n };
      const receipt = await m.publicClient.waitForTransactionReceipt({ hash: await c.market.write.buy([listingId, 0n, PRICE], { account: buyer.account, value: PRICE }) });
      const purchaseId = parseEventLogs({ abi: c.market.abi, logs: receipt.logs, eventName: "PurchaseOpened" })[0]!.args.purchaseId;
      await m.publicClient.waitForTransactionReceipt({ hash: await c.market.write.commitDelivery([purchaseId, d.ciphertextRoot, d.keyHash], { account: seller.account }) });
      const view = await readPurchase(client, deployment, purchaseId);
      assert.equal(cap, encodeDeliveryFile({ purchaseId, modelSize: m.model.length, ciphertext: d.ciphertext, modelLeaves: d.modelLeaves }).length, "the cap is the honest file's size");
      const fetchIt = () => fetchPurchaseDelivery(client, deployment, { signer: privateKeyToAccount(generatePrivateKey()), context: { chainId: 31337, market: c.market.address }, view });
      const tooLarge = (e: unknown) =>
        e instanceof WorkerClientError &&
        e.code === "too_large" &&
        e.message === `the worker at ${url} sends more than the ${cap} bytes the delivery of purchase ${purchaseId} can hold (its listing's model is ${m.model.length} bytes on-chain): the rest was refused`;
      served.push("streamed");
      await assert.rejects(fetchIt(), tooLarge);
      served.push("announced");
      await assert.rejects(fetchIt(), tooLarge);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
