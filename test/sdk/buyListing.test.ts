/**
 * The SDK's purchase action (sdk/src/actions/buyListing.ts) against the real market: it buys at
 * the price the buyer was shown, pays only the price less an applied deposit, and a seller's
 * reprice between what the buyer saw and its transaction makes the market refuse the purchase
 * (FairExchangePriceChanged), even when the deposit covers the price and no ether is sent.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEther, type PublicClient } from "viem";
import { buyListing, buyValue } from "@modelbazaar/sdk/actions";
import { marketContracts } from "@modelbazaar/sdk/client";
import { connectMarket, POLICY, TEST_PHASE } from "../helpers/market.ts";

describe("buyListing", async () => {
  const m = await connectMarket();
  const { buyer, seller } = m.accounts;

  async function setup(price: bigint) {
    const c = await m.load();
    const listingId = await m.list(c, { price });
    const deployment = { chainId: await m.publicClient.getChainId(), registry: c.registry.address, market: c.market.address, startBlock: 0n };
    const { market } = marketContracts({ publicClient: m.publicClient as PublicClient, walletClient: buyer, deployment });
    return { c, listingId, market };
  }

  it("pays the price less an applied deposit, never below zero", () => {
    assert.equal(buyValue({ listingId: 1n, price: parseEther("2"), deposit: parseEther("0.5"), testId: 3n }), parseEther("1.5"));
    assert.equal(buyValue({ listingId: 1n, price: parseEther("0.2"), deposit: parseEther("0.5"), testId: 3n }), 0n);
    assert.equal(buyValue({ listingId: 1n, price: parseEther("2"), deposit: parseEther("0.5") }), parseEther("2"), "no test-drive, no deposit");
  });

  it("buys at the shown price, with the test-drive's deposit paying into the escrow", async () => {
    const price = parseEther("2");
    const { c, listingId, market } = await setup(price);
    const { testId } = await m.openTest(c, listingId, buyer);
    const hash = await buyListing(market, { listingId, price, deposit: POLICY.deposit, testId });
    assert.equal((await m.publicClient.waitForTransactionReceipt({ hash })).status, "success");
    const purchase = await c.market.read.getPurchase([1n]);
    assert.equal(purchase.price, price);
    assert.equal(purchase.testId, Number(testId));
    assert.equal((await c.market.read.getTest([testId])).phase, TEST_PHASE.AppliedToPurchase);
  });

  it("is refused when the seller repriced after the buyer saw the price, and nothing is taken", async () => {
    // The deposit covers the shown price, so the buyer sends no ether; the seller raises the
    // price up to the deposit to keep the difference.
    const shown = POLICY.deposit / 2n;
    const { c, listingId, market } = await setup(shown);
    const { testId } = await m.openTest(c, listingId, buyer);
    await c.registry.write.updateOffer([listingId, m.offer({ price: POLICY.deposit })], { account: seller.account });
    assert.equal(buyValue({ listingId, price: shown, deposit: POLICY.deposit, testId }), 0n);
    await m.viem.assertions.revertWithCustomErrorWithArgs(
      buyListing(market, { listingId, price: shown, deposit: POLICY.deposit, testId }),
      c.market,
      "FairExchangePriceChanged",
      [listingId, POLICY.deposit, shown],
    );
    assert.equal((await c.market.read.getTest([testId])).phase, TEST_PHASE.Open, "the deposit stays with its test-drive");
  });
});
