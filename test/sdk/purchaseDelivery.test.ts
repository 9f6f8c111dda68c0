/**
 * The buyer's purchase actions the dApp and `bazaar download` share, against the real market:
 * findPurchases (sdk/src/actions/findPurchases.ts) lists one buyer's purchases and nobody
 * else's, newest first; receivedDelivery (fetchPurchaseDelivery.ts) pairs a delivery file with
 * the chain's committed ciphertext root and the listing's model root and size, and refuses a
 * purchase with no commitment yet and another purchase's file (a seller, or anyone in between,
 * handing the buyer a delivery that is not this purchase's).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEventLogs, type PublicClient } from "viem";
import { findPurchases, PurchaseDeliveryError, readPurchase, receivedDelivery } from "@modelbazaar/sdk/actions";
import { checkCiphertext, prepareDelivery, type DeliveryFile } from "@modelbazaar/sdk/delivery";
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
});
