import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { connectMarket, TEST_STATUS } from "../helpers/market.ts";

describe("smoke", async () => {
  const m = await connectMarket();
  it("lists, opens a test, records a receipt and refunds by proof", async () => {
    const c = await m.load();
    const listingId = await m.list(c);
    const { testId } = await m.openTest(c, listingId);
    assert.equal(await c.market.read.testStatus([testId]), TEST_STATUS.AwaitingReceipt);
    await c.market.write.recordReceipt([testId, m.zeroHash.replace(/0$/, "1") as `0x${string}`], { account: m.accounts.worker.account });
    assert.equal(await c.market.read.testStatus([testId]), TEST_STATUS.Evaluated);
    await m.claimRefund(c, testId);
    assert.equal(await c.market.read.testStatus([testId]), TEST_STATUS.Disputed);
    await m.networkHelpers.time.increase(Number(await c.disputes.read.contestWindow()));
    await c.disputes.write.closeDispute([testId]);
    assert.equal(await c.market.read.testStatus([testId]), TEST_STATUS.Closed);
  });
});
