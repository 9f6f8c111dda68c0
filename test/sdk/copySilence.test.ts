/**
 * Silence never accepts a per-buyer copy (docs/PROTOCOL.md §7.2): the seller picks a copy's
 * root after the sale, so a buyer that stays away for the acceptance window is refunded, not
 * charged for bytes it never tested. On Hardhat: a copy the buyer never accepted is KeyOverdue
 * from the acceptance deadline; `readPurchase` names that deadline as the key's, anyone's
 * refund goes through, and the audit finds the KeyMissed refund in order.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keccak256, toHex, type PublicClient } from "viem";
import { PurchaseDeliveryError, readPurchase, receivedDelivery } from "@modelbazaar/sdk/actions";
import { decodeDeliveryFile, encodeDeliveryFile, modelRootOf } from "@modelbazaar/sdk/delivery";
import { collectEvents } from "@modelbazaar/sdk/internal/audit/collectEvents.ts";
import { buildMarketTrail } from "@modelbazaar/sdk/internal/audit/marketTrail.ts";
import { checkPurchases } from "@modelbazaar/sdk/internal/audit/purchaseChecks.ts";
import { pseudoRandomFile } from "../../scripts/lib/exampleListing.ts";
import { connectMarket, PRICE, WINDOWS } from "../helpers/market.ts";

describe("a per-buyer copy the buyer never accepts", async () => {
  const m = await connectMarket();
  const { seller, buyer, mallory } = m.accounts;

  it("is refunded at the acceptance deadline, its key never revealable, and the audit agrees", async () => {
    const c = await m.load();
    const deployment = { chainId: await m.publicClient.getChainId(), registry: c.registry.address, market: c.market.address, startBlock: 0n };
    const listingId = await m.list(c);
    await c.market.write.buy([listingId, 0n, PRICE], { account: buyer.account, value: PRICE });
    const purchaseId = 1n;
    // Any bytes of the seller's choosing, committed as "the buyer's copy" after the sale.
    const untested = pseudoRandomFile(640, 7);
    const copy = modelRootOf(untested);
    const d = m.delivery(untested);
    await c.market.write.commitCopyDelivery([purchaseId, d.ciphertextRoot, d.keyHash, copy.root, copy.size], { account: seller.account });

    await m.networkHelpers.time.increase(WINDOWS.accept);
    const view = await readPurchase(m.publicClient as PublicClient, deployment, purchaseId);
    assert.equal(view.status, "KeyOverdue");
    assert.equal(view.deadlines.key, view.deadlines.acceptance, "an unaccepted copy's key is due when acceptance ends");
    await assert.rejects(c.market.write.revealKey([purchaseId, d.ciphertextRoot, d.key], { account: seller.account }), /FairExchangeInvalidStatus/);
    await c.market.write.refundPurchase([purchaseId], { account: mallory.account });
    assert.equal(await c.market.read.owed([buyer.account.address]), PRICE, "the buyer gets the price back");

    const trail = buildMarketTrail(await collectEvents(m.publicClient as PublicClient, deployment));
    const findings = checkPurchases(trail, WINDOWS, new Map());
    assert.deepEqual(findings.filter((f) => !f.ok), []);
    assert.ok(findings.some((f) => f.check === "purchase.KeyMissed" && f.ok));
  });

  it("a copy committed with a size no file has is refused by the client before anything is read", async () => {
    const c = await m.load();
    const deployment = { chainId: await m.publicClient.getChainId(), registry: c.registry.address, market: c.market.address, startBlock: 0n };
    const listingId = await m.list(c);
    await c.market.write.buy([listingId, 0n, PRICE], { account: buyer.account, value: PRICE });
    const d = m.delivery();
    await c.market.write.commitCopyDelivery([1n, d.ciphertextRoot, d.keyHash, keccak256(toHex("a copy")), 2n ** 63n], { account: seller.account });
    const view = await readPurchase(m.publicClient as PublicClient, deployment, 1n);
    const file = decodeDeliveryFile(encodeDeliveryFile({ purchaseId: 1n, modelSize: m.model.length, ciphertext: d.ciphertext, modelLeaves: d.modelLeaves }));
    await assert.rejects(receivedDelivery(m.publicClient as PublicClient, deployment, view, file, "a file"), (error: Error) => error instanceof PurchaseDeliveryError && /claims 9223372036854775808 bytes, more than any model file/.test(error.message));
  });
});
