/**
 * sdk/README.md's example (sdk/examples/listListings.ts), run as an integrator runs it: through
 * the package name, against a deployed registry on Hardhat's simulated network.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, parseEther } from "viem";
import { listingLines } from "../../sdk/examples/listListings.ts";
import { connectMarket } from "../helpers/market.ts";

describe("the integrator's example (sdk/examples/listListings.ts)", () => {
  it("lists every listing with its current status and price, and nothing before the first", async () => {
    const m = await connectMarket();
    const c = await m.load();
    const deployment = { chainId: 31337, registry: c.registry.address, market: c.market.address, startBlock: 0n };
    assert.deepEqual(await listingLines(m.publicClient, deployment), []);

    const first = await m.list(c);
    const second = await m.list(c, { price: parseEther("0.25") });
    await c.registry.write.pause([first], { account: m.accounts.seller.account });

    const seller = getAddress(m.accounts.seller.account.address);
    assert.deepEqual(await listingLines(m.publicClient, deployment), [`#${first} paused 5 ETH by ${seller}`, `#${second} active 0.25 ETH by ${seller}`]);
  });
});
