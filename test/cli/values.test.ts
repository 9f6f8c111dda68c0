/**
 * The CLI's value parsers (scripts/cli/values.ts) and deadline text (@modelbazaar/sdk/labels deadlineText.ts):
 * ids, ETH amounts, durations, percentages and addresses, each refused with a sentence that
 * names the option. Pure; no chain.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEther } from "viem";
import { CliError } from "../../scripts/cli/cliError.ts";
import { formatDeadline } from "@modelbazaar/sdk/labels";
import { parseAddress, parseDuration, parseEth, parseId, parsePercentBps } from "../../scripts/cli/values.ts";

describe("CLI values", () => {
  it("parses ids, ETH, durations, percentages and addresses", () => {
    assert.equal(parseId("12", "id"), 12n);
    assert.equal(parseEth("0.5", "--reserve"), parseEther("0.5"));
    assert.equal(parseEth(".25", "--reserve"), parseEther("0.25"));
    assert.deepEqual(["90", "90s", "10m", "2h", "3d"].map((t) => parseDuration(t, "--bidding")), [90, 90, 600, 7_200, 259_200]);
    assert.deepEqual(["0", "10", "2.5%", "100"].map((t) => parsePercentBps(t, "--penalty")), [0, 1_000, 250, 10_000]);
    assert.equal(parseAddress("0x90F79bf6EB2c4f870365E785982E1f101E93b906", "--bidder"), "0x90F79bf6EB2c4f870365E785982E1f101E93b906");
  });

  it("refuses malformed values with a sentence naming the option", () => {
    const cases: [() => unknown, RegExp][] = [
      [() => parseId("0", "the auction id"), /the auction id must be a positive whole number, not "0"/],
      [() => parseId("1e3", "the auction id"), /positive whole number/],
      [() => parseEth("-1", "the bid"), /the bid must be an amount of ETH such as 0\.5, not "-1"/],
      [() => parseEth("1.0000000000000000001", "the bid"), /amount of ETH/],
      [() => parseDuration("1 week", "--reveal"), /--reveal must be a duration such as 90s/],
      [() => parsePercentBps("100.01", "--penalty"), /--penalty must be a percentage from 0 to 100/],
      [() => parsePercentBps("ten", "--penalty"), /percentage/],
      [() => parseAddress("0x1234", "--bidder"), /--bidder must be an address/],
    ];
    for (const [parse, message] of cases) assert.throws(parse, (e: unknown) => e instanceof CliError && message.test(e.message));
  });

  it("prints deadlines in UTC with the distance from chain time", () => {
    assert.equal(formatDeadline(1_800_000_600, 1_800_000_000), "2027-01-15 08:10:00 UTC, in 10 min");
    assert.equal(formatDeadline(1_800_000_000, 1_800_000_030), "2027-01-15 08:00:00 UTC, 30 s ago");
    assert.equal(formatDeadline(1_800_000_000 + 3 * 86_400, 1_800_000_000), "2027-01-18 08:00:00 UTC, in 3 days");
  });
});
