/**
 * The recommendation aggregator (aggregator/), started for real on an ephemeral port: it serves
 * the factors of its seed, takes one noised upload per client per round through the SDK's client,
 * averages a full round into the factors exactly as aggregateUpdates does, and refuses with a
 * 4xx and a sentence: a malformed upload (wrong dimension, an item id out of range or repeated,
 * a non-finite value, values of the wrong length, a bad client id, a value too large for the
 * factors), an oversized body, a body
 * that is not JSON, a second upload of a client in a round, and an upload for a closed round.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import { connect } from "node:net";
import { after, before, describe, it } from "node:test";
import {
  aggregateUpdates,
  AggregatorError,
  federatedClientStep,
  factorsBody,
  fetchItemFactors,
  parseFactorsBody,
  randomItemFactors,
  seededRandom,
  sendUpload,
  uploadBody,
  type NoisedItemUpdates,
} from "@modelbazaar/sdk/recommend";
import { AGGREGATOR_DEFAULTS } from "../../aggregator/src/aggregatorConfig.ts";
import { startAggregator, type AggregatorHandle } from "../../aggregator/src/startAggregator.ts";

const itemCount = 50;
const dimension = 4;
let aggregator: AggregatorHandle;

before(async () => {
  aggregator = await startAggregator({ ...AGGREGATOR_DEFAULTS, port: 0, itemCount, dimension, uploadsPerRound: 2, corsOrigins: [], maxUploadBytes: 1_000 });
});
after(() => aggregator.close());

const uploadFor = (round: number, seed: number, decoys: number | "all" = 5) =>
  federatedClientStep(
    { factor: [], history: [{ itemId: seed % itemCount, kind: "buy", timestamp: 1 }, { itemId: (seed * 7) % itemCount, kind: "browse", timestamp: 2 }] },
    randomItemFactors(itemCount, dimension, seededRandom(16)),
    { round, decoys, clipNorm: 1, noiseMultiplier: 0.1 },
    seededRandom(seed),
  ).upload;

async function post(body: unknown, round = 0, contentType = "application/json"): Promise<{ status: number; error: string; message: string }> {
  const response = await fetch(`${aggregator.url}/rounds/${round}/updates`, { method: "POST", headers: { "content-type": contentType }, body: typeof body === "string" ? body : JSON.stringify(body) });
  const { error, message } = (await response.json()) as { error: string; message: string };
  return { status: response.status, error, message };
}

describe("the recommendation aggregator", () => {
  it("refuses malformed uploads with HTTP 400 and what is wrong", async () => {
    const good = uploadBody(uploadFor(0, 1), "client-aaaa");
    const nan = uploadBody({ ...uploadFor(0, 1), values: new Float32Array(good.itemIds.length * dimension).fill(Number.NaN) } as NoisedItemUpdates, "client-aaaa");
    const cases: [unknown, RegExp][] = [
      [[1, 2], /JSON object/],
      [{ ...good, dimension: 5 }, /dimension must be the factors' 4/],
      [{ ...good, itemIds: [...good.itemIds.slice(0, -1), itemCount] }, /itemIds\[\d+\] = 50 is not an item id in \[0, 50\)/],
      [{ ...good, itemIds: [good.itemIds[1], good.itemIds[0], ...good.itemIds.slice(2)] }, /ascending without repeats/],
      [{ ...good, values: good.values.slice(0, 12) }, /must hold \d+ float32 values/],
      [{ ...good, values: "%%%" }, /not valid base64/],
      [nan, /value 0 is not a finite number/],
      [{ ...good, clientId: "x" }, /clientId must be 8 to 64 characters/],
      [{ ...good, round: -1 }, /round must be a non-negative integer/],
      [{ ...good, round: 1 }, /the body's round 1 is not the path's 0/],
    ];
    for (const [body, message] of cases) {
      const refusal = await post(body);
      assert.equal(refusal.status, 400, refusal.message);
      assert.equal(refusal.error, "malformed_upload");
      assert.match(refusal.message, message);
    }
    assert.equal(aggregator.book.pending, 0, "nothing malformed was kept");
  });

  it("refuses an oversized body with 413 and anything but JSON with 415", async () => {
    const big = uploadBody(uploadFor(0, 2, "all"), "client-bbbb");
    const oversized = await post(big);
    assert.equal(oversized.status, 413);
    assert.match(oversized.message, /at most 1000 bytes/);
    const text = await post("round=0", 0, "text/plain");
    assert.equal(text.status, 415);
    assert.match(text.message, /application\/json/);
  });

  it("takes one upload per client per round, averages a full round into the factors and refuses a closed round", async () => {
    const { round, factors } = await fetchItemFactors(aggregator.url);
    assert.equal(round, 0);
    const seedFactors = randomItemFactors(itemCount, dimension, seededRandom(AGGREGATOR_DEFAULTS.seed));
    assert.deepEqual(factors.values, Float64Array.from(Float32Array.from(seedFactors.values)), "round 0 serves the seed's factors (as float32)");
    const first = uploadFor(0, 3);
    await sendUpload(aggregator.url, first, "client-cccc");
    await assert.rejects(sendUpload(aggregator.url, uploadFor(0, 4), "client-cccc"), (error: AggregatorError) => {
      assert.equal(error.status, 409);
      assert.equal(error.code, "duplicate_upload");
      assert.match(error.message, /one upload per client per round/);
      return true;
    });
    const second = uploadFor(0, 5);
    await sendUpload(aggregator.url, second, "client-dddd"); // fills the round of 2
    const next = await fetchItemFactors(aggregator.url);
    assert.equal(next.round, 1);
    const expected = aggregateUpdates(seedFactors, [first, second], AGGREGATOR_DEFAULTS);
    next.factors.values.forEach((value, k) => assert.ok(Math.abs(value - expected.values[k]!) < 1e-6, `factor value ${k}`));
    await assert.rejects(sendUpload(aggregator.url, uploadFor(0, 6), "client-eeee"), (error: AggregatorError) => {
      assert.equal(error.status, 409);
      assert.match(error.message, /round 0 is not open; the open round is 1/);
      return true;
    });
  });
});

describe("the recommendation aggregator against a poisoning client", () => {
  it("refuses an upload of finite values too large for the factors, so one client cannot make the served factors unreadable", async () => {
    const lone = await startAggregator({ ...AGGREGATOR_DEFAULTS, port: 0, itemCount, dimension, uploadsPerRound: 1, corsOrigins: [] });
    try {
      const honest = uploadFor(0, 7);
      const huge = { ...uploadBody(honest, "client-ffff"), values: uploadBody({ ...honest, values: new Float32Array(honest.values.length).fill(3.4e38) } as NoisedItemUpdates, "client-ffff").values };
      const response = await fetch(`${lone.url}/rounds/0/updates`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(huge) });
      const refusal = (await response.json()) as { error: string; message: string };
      assert.equal(response.status, 400, refusal.message);
      assert.match(refusal.message, /value 0 is .* beyond ±/);
      const { round, factors } = await fetchItemFactors(lone.url);
      assert.equal(round, 0, "the poisoned upload closed no round");
      assert.ok(factors.values.every(Number.isFinite));
    } finally {
      await lone.close();
    }
  });
});

describe("the recommendation aggregator against a slow client", () => {
  it("drops a connection whose upload body stalls, instead of holding it (and its buffered bytes) open for ever", { timeout: 20_000 }, async () => {
    const patient = await startAggregator({ ...AGGREGATOR_DEFAULTS, port: 0, itemCount, dimension, corsOrigins: [], requestTimeoutMs: 300 });
    try {
      const { hostname, port } = new URL(patient.url);
      const socket = connect(Number(port), hostname);
      await once(socket, "connect");
      socket.write(`POST /rounds/0/updates HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"round":0,`);
      socket.resume();
      await once(socket, "close");
      assert.equal(patient.book.pending, 0);
    } finally {
      await patient.close();
    }
  });
});

describe("the SDK's client against a hostile aggregator", () => {
  it("refuses factors of a dimension no aggregator uses, before the device fits a user factor to them", () => {
    // One item of dimension 5,000: a 27 KB answer, but fitting the user factor would take a
    // 5,000 × 5,000 Gram matrix (200 MB) and a cubic solve, freezing the dApp's tab or the CLI.
    const served = factorsBody({ round: 0, factors: { dimension: 5_000, count: 1, values: new Float64Array(5_000) } });
    assert.throws(() => parseFactorsBody(served), /factors have dimension 5000, but a client takes at most 256/);
    const sane = factorsBody({ round: 3, factors: randomItemFactors(itemCount, dimension, seededRandom(1)) });
    assert.equal(parseFactorsBody(sane).round, 3);
  });
});
