/** Durations as people read them (sdk/src/labels/durationText.ts): short ones keep a significant digit. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { durationText } from "@modelbazaar/sdk/labels";

describe("durationText", () => {
  it("writes each range of durations in its own unit, never a short one as zero", () => {
    assert.equal(durationText(0), "0 s");
    assert.equal(durationText(0.031), "0.03 s");
    assert.equal(durationText(0.0042), "0.004 s");
    assert.equal(durationText(0.44), "0.4 s");
    assert.equal(durationText(9.96), "10.0 s");
    assert.equal(durationText(12.4), "12 s");
    assert.equal(durationText(320), "5 min 20 s");
    assert.equal(durationText(3_900), "1 h 5 min");
  });
});
