/**
 * The SDK's saleModeRefusal and offerInSaleMode (sdk/src/actions/manageListing.ts), which the
 * seller dashboard uses to switch a listing between a fixed price and auctions: each switch the
 * registry would refuse, or that would change nothing, is refused in a sentence; the others are
 * allowed, and the offer sent keeps everything but the sale mode (and the price, when fixed).
 * Pure; the listings are built by hand.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEther, type Address } from "viem";
import { MAX_PRICE, offerInSaleMode, saleModeRefusal } from "@modelbazaar/sdk/actions";

const seller: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const stranger: Address = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65";
const offer = {
  metadataURI: "models/iris.json",
  metadataHash: `0x${"11".repeat(32)}`,
  saleMode: 0,
  price: parseEther("2"),
  workerEndpoint: "http://127.0.0.1:8787",
  workerSigner: seller,
} as const;
const fixedListing = { seller, status: 1, offer };
const auctionListing = { seller, status: 2, offer: { ...offer, saleMode: 1 } };

describe("switching a listing's sale mode", () => {
  it("lets its seller switch an active or paused listing to the other mode", () => {
    assert.equal(saleModeRefusal(7n, fixedListing, seller, "auction"), undefined);
    assert.equal(saleModeRefusal(7n, auctionListing, seller, "fixed", parseEther("1.5")), undefined);
  });

  it("refuses a stranger, a delisted listing, the mode it already has, and a fixed price of nothing or more than the registry holds", () => {
    assert.equal(saleModeRefusal(7n, fixedListing, stranger, "auction"), `listing 7 was listed by ${seller}, not by ${stranger}: only its seller may switch the sale mode of it`);
    assert.equal(saleModeRefusal(7n, { ...fixedListing, status: 3 }, seller, "auction"), "listing 7 is delisted, for good: it cannot be switched to another sale mode");
    assert.equal(saleModeRefusal(7n, auctionListing, seller, "auction"), "listing 7 is already sold by auction");
    assert.equal(saleModeRefusal(7n, fixedListing, seller, "fixed", parseEther("3")), "listing 7 is already sold at a fixed price of 2 ETH (reprice it instead)");
    assert.equal(saleModeRefusal(7n, auctionListing, seller, "fixed"), "the new price must be more than 0 ETH");
    assert.equal(saleModeRefusal(7n, auctionListing, seller, "fixed", 0n), "the new price must be more than 0 ETH");
    assert.match(saleModeRefusal(7n, auctionListing, seller, "fixed", MAX_PRICE + 1n) ?? "", /^the new price is too large/);
  });

  it("sends the offer as read with only the sale mode, and a fixed price's price, changed", () => {
    assert.deepEqual(offerInSaleMode(offer, "auction"), { ...offer, saleMode: 1 });
    assert.deepEqual(offerInSaleMode(auctionListing.offer, "fixed", parseEther("1.5")), { ...offer, price: parseEther("1.5") });
  });
});
