/**
 * The recommendation aggregator (aggregator/) running the secure round, started for real on an
 * ephemeral port, with the SDK's real client (x25519 keys, ChaCha20 masks): 3 and 4 clients go
 * through a round and the factors after it are applySum of the true float sum of their
 * contributions, within the fixed-point bound; a round whose member never uploads is aborted on
 * the collection timer, the factors unchanged, and the next round works; the enrolment timer
 * closes a roster once the minimum enrolled; a round whose decoded sum no clamped contributions
 * can reach (a member's garbage, which no one can check in a masked vector) is dropped; every refusal answers its 4xx with a sentence; a
 * stalled body is dropped; round 0 serves the start it is given (npm start's: the chain's public
 * factors padded with the seed's) and refuses one of another shape. applySum and contributionLength are the test's own (the trainer is
 * injected; here the factors move by the mean contribution), so the sum is what is checked.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import { connect } from "node:net";
import { describe, it } from "node:test";
import {
  enrolmentBody,
  factorsBody,
  FIXED_POINT_FRACTION_BITS,
  fetchItemFactors,
  maskedUploadBody,
  normalDraw,
  parseFactorsBody,
  randomItemFactors,
  secureRoundKeyPair,
  seededRandom,
  takePartInSecureRound,
  type ItemFactors,
} from "@modelbazaar/sdk/recommend";
import { AGGREGATOR_DEFAULTS, checkAggregatorConfig, type AggregatorConfig } from "../../aggregator/src/aggregatorConfig.ts";
import { publicStartFactors } from "../../aggregator/src/publicStart.ts";
import { startAggregator, type AggregatorHandle } from "../../aggregator/src/startAggregator.ts";

const itemCount = 20;
const dimension = 3;
/** The test's trainer: one value per factor value plus 2 extra, and the factors move by the mean contribution. */
const contributionLength = (items: number, d: number) => items * d + 2;
const LENGTH = contributionLength(itemCount, dimension);
const meanStep = (factors: ItemFactors, sum: Float64Array, participants: number): ItemFactors => ({ ...factors, values: factors.values.map((value, k) => value + sum[k]! / participants) });
const seedFactors = randomItemFactors(itemCount, dimension, seededRandom(AGGREGATOR_DEFAULTS.seed));

async function aggregatorWith(settings: Partial<AggregatorConfig>): Promise<AggregatorHandle> {
  return startAggregator({ ...AGGREGATOR_DEFAULTS, port: 0, itemCount, dimension, contributionLength, applySum: meanStep, enrolmentMs: 0, corsOrigins: [], ...settings });
}

function contribution(seed: number): Float64Array {
  const random = seededRandom(seed);
  return Float64Array.from({ length: LENGTH }, () => 2 * normalDraw(random));
}

/** `before` moved by the mean of `contributions`, as the aggregator's factors must be, within the fixed point's and float32's error. */
function assertMovedByMean(after: ItemFactors, before: ItemFactors, contributions: readonly Float64Array[]): void {
  const bound = 2 ** -FIXED_POINT_FRACTION_BITS + 1e-5; // the decoded mean's rounding, and float32 on the wire
  after.values.forEach((value, k) => {
    const mean = contributions.reduce((sum, values) => sum + values[k]!, 0) / contributions.length;
    assert.ok(Math.abs(value - (before.values[k]! + mean)) <= bound, `factor value ${k}: ${value} against ${before.values[k]! + mean}`);
  });
}

async function send(url: string, method: string, body?: unknown, contentType = "application/json"): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { method, headers: body === undefined ? {} : { "content-type": contentType }, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const asFloat32 = (factors: ItemFactors): ItemFactors => ({ ...factors, values: Float64Array.from(Float32Array.from(factors.values)) });

describe("the secure round, end to end", () => {
  for (const clients of [3, 4]) {
    it(`takes ${clients} clients' masked contributions and applies the sum of what they hold`, async () => {
      const aggregator = await aggregatorWith({ participantsPerRound: clients });
      try {
        const before = await fetchItemFactors(aggregator.url);
        assert.deepEqual(before.factors.values, asFloat32(seedFactors).values, "round 0 serves the seed's factors (as float32)");
        const contributions = Array.from({ length: clients }, (_, k) => contribution(k + 1));
        const receipts = await Promise.all(contributions.map((values) => takePartInSecureRound(aggregator.url, 0, () => values)));
        assert.deepEqual(receipts, Array.from({ length: clients }, () => ({ round: 0, participants: clients })));
        const after = await fetchItemFactors(aggregator.url);
        assert.equal(after.round, 1);
        assertMovedByMean(after.factors, seedFactors, contributions);
        assert.deepEqual((await send(`${aggregator.url}/health`, "GET")).body, { ok: true, round: 1, state: "enrolling", enrolled: 0, uploaded: 0, heldRosterRequests: 0 });
      } finally {
        await aggregator.close();
      }
    });
  }

  it("aborts a round whose member never uploads on the collection timer, leaves the factors unchanged, and runs the next round", async () => {
    const aggregator = await aggregatorWith({ participantsPerRound: 3, collectMs: 300 });
    try {
      const aborted = once(aggregator.book.events, "aborted");
      const silent = { clientId: "silent-member", ...secureRoundKeyPair() };
      assert.equal((await send(`${aggregator.url}/rounds/0/enrol`, "POST", enrolmentBody(silent))).status, 202);
      const honest = [contribution(7), contribution(8)];
      await Promise.all(honest.map((values) => takePartInSecureRound(aggregator.url, 0, () => values)));
      assert.deepEqual(await aborted, [0]);
      const kept = await fetchItemFactors(aggregator.url);
      assert.equal(kept.round, 1);
      assert.deepEqual(kept.factors.values, asFloat32(seedFactors).values, "an aborted round changes nothing");
      const late = await send(`${aggregator.url}/rounds/0/masked`, "POST", maskedUploadBody(silent.clientId, new Uint32Array(LENGTH)));
      assert.equal(late.status, 409);
      assert.equal(late.body.error, "wrong_round");

      const next = [contribution(9), contribution(10), contribution(11)];
      await Promise.all(next.map((values) => takePartInSecureRound(aggregator.url, 1, () => values)));
      const after = await fetchItemFactors(aggregator.url);
      assert.equal(after.round, 2);
      assertMovedByMean(after.factors, seedFactors, next);
    } finally {
      await aggregator.close();
    }
  });

  it("drops a round whose sum no clamped contributions can reach: one member's garbage does not move the factors", async () => {
    const aggregator = await aggregatorWith({ participantsPerRound: 3 });
    try {
      const aborted = once(aggregator.book.events, "aborted");
      const cheat = { clientId: "cheating-member", ...secureRoundKeyPair() };
      assert.equal((await send(`${aggregator.url}/rounds/0/enrol`, "POST", enrolmentBody(cheat))).status, 202);
      const honest = [contribution(12), contribution(13)].map((values) => takePartInSecureRound(aggregator.url, 0, () => values));
      while (aggregator.book.state !== "collecting") await once(aggregator.book.events, "change");
      // A masked vector cannot be checked alone: the cheat sends a value of 2^29 in the ring (16,384 decoded) in its first place.
      const garbage = new Uint32Array(LENGTH);
      garbage[0] = 2 ** 29;
      assert.equal((await send(`${aggregator.url}/rounds/0/masked`, "POST", maskedUploadBody(cheat.clientId, garbage))).status, 202);
      await Promise.all(honest);
      assert.deepEqual(await aborted, [0]);
      const kept = await fetchItemFactors(aggregator.url);
      assert.equal(kept.round, 1);
      assert.deepEqual(kept.factors.values, asFloat32(seedFactors).values, "the poisoned round changes nothing");
    } finally {
      await aggregator.close();
    }
  });

  it("holds at most maxHeldRosterRequests roster requests at once and answers the rest at once, so a flood cannot pile them up", async () => {
    const aggregator = await aggregatorWith({ participantsPerRound: 3, maxHeldRosterRequests: 2 });
    try {
      const health = async () => (await send(`${aggregator.url}/health`, "GET")).body as { heldRosterRequests: number };
      const held = [send(`${aggregator.url}/rounds/0/roster?wait=1`, "GET"), send(`${aggregator.url}/rounds/0/roster?wait=1`, "GET")];
      while ((await health()).heldRosterRequests < 2); // each ask of /health is a round trip: no timer
      assert.deepEqual(await send(`${aggregator.url}/rounds/0/roster?wait=1`, "GET"), { status: 202, body: { enrolled: 0, needed: 3 } }, "the third is answered while two are held");
      for (const k of [0, 1, 2]) await send(`${aggregator.url}/rounds/0/enrol`, "POST", enrolmentBody({ clientId: `member-000${k}`, ...secureRoundKeyPair() }));
      assert.deepEqual((await Promise.all(held)).map((answer) => answer.status), [200, 200], "the held ones get the roster when it closes");
      assert.equal((await health()).heldRosterRequests, 0);
    } finally {
      await aggregator.close();
    }
  });

  it("closes the roster on the enrolment timer only once the minimum enrolled", async () => {
    const aggregator = await aggregatorWith({ participantsPerRound: 10, minParticipants: 3, enrolmentMs: 50 });
    try {
      const members = Array.from({ length: 3 }, (_, k) => ({ clientId: `member-000${k}`, ...secureRoundKeyPair() }));
      for (const member of members.slice(0, 2)) assert.equal((await send(`${aggregator.url}/rounds/0/enrol`, "POST", enrolmentBody(member))).status, 202);
      const waiting = await send(`${aggregator.url}/rounds/0/roster`, "GET");
      assert.deepEqual(waiting, { status: 202, body: { enrolled: 2, needed: 3 } });
      const held = send(`${aggregator.url}/rounds/0/roster?wait=1`, "GET"); // answered when the roster closes
      await send(`${aggregator.url}/rounds/0/enrol`, "POST", enrolmentBody(members[2]!));
      const roster = await held;
      assert.equal(roster.status, 200);
      assert.deepEqual((roster.body.members as { clientId: string }[]).map((m) => m.clientId), ["member-0000", "member-0001", "member-0002"], "sorted by client id");
      assert.equal(aggregator.book.state, "collecting");
    } finally {
      await aggregator.close();
    }
  });
});

describe("round 0's factors", () => {
  it("are the given start (the chain's public factors, then seeded random rows), and a start of another shape is refused", async () => {
    const publicFactors = randomItemFactors(5, dimension, seededRandom(99), 0.7);
    const start = publicStartFactors(publicFactors, itemCount, dimension, AGGREGATOR_DEFAULTS.seed);
    assert.deepEqual(start.values.subarray(0, 5 * dimension), publicFactors.values, "the public rows first");
    assert.deepEqual(start.values.subarray(5 * dimension), seedFactors.values.subarray(5 * dimension), "then the seed's");
    assert.deepEqual(publicStartFactors(undefined, itemCount, dimension, AGGREGATOR_DEFAULTS.seed).values, seedFactors.values, "no public activity: the seed's");
    assert.throws(() => publicStartFactors(randomItemFactors(5, dimension + 1, seededRandom(1)), itemCount, dimension, 1), /the public factors have dimension 4, the aggregator's 3/);
    const aggregator = await aggregatorWith({ startFactors: start });
    try {
      assert.deepEqual((await fetchItemFactors(aggregator.url)).factors.values, asFloat32(start).values);
    } finally {
      await aggregator.close();
    }
    await assert.rejects(aggregatorWith({ startFactors: randomItemFactors(itemCount + 1, dimension, seededRandom(1)) }), /startFactors must be 20 finite factors of dimension 3, got 21 of dimension 3/);
  });
});

describe("the secure round's refusals", () => {
  it("answers every refusal with its 4xx and a sentence", async () => {
    const aggregator = await aggregatorWith({ participantsPerRound: 3, maxUploadBytes: 2_000 });
    const url = aggregator.url;
    try {
      const members = Array.from({ length: 3 }, (_, k) => ({ clientId: `member-000${k}`, ...secureRoundKeyPair() }));
      const outsider = { clientId: "outsider-1", ...secureRoundKeyPair() };
      const upload = (clientId: string, length = LENGTH) => maskedUploadBody(clientId, new Uint32Array(length).fill(7));
      const expect = async (path: string, method: string, body: unknown, status: number, error: string, message: RegExp, contentType?: string) => {
        const answer = await send(`${url}${path}`, method, body, contentType);
        assert.equal(answer.status, status, `${method} ${path}: ${JSON.stringify(answer.body)}`);
        assert.equal(answer.body.error, error);
        assert.match(answer.body.message as string, message);
      };
      await expect("/rounds/0/enrol", "POST", { clientId: "member-0000" }, 400, "malformed", /publicKey must be a 32-byte x25519 key/);
      await expect("/rounds/zero/enrol", "POST", enrolmentBody(members[0]!), 400, "malformed", /the round in the path must be a non-negative integer, got "zero"/);
      await expect("/rounds/0/enrol", "POST", "clientId=member-0000", 415, "unsupported_media_type", /application\/json/, "text/plain");
      await expect("/rounds/1/enrol", "POST", enrolmentBody(members[0]!), 409, "wrong_round", /round 1 is not open; the open round is 0/);
      await expect("/rounds/5/roster", "GET", undefined, 409, "wrong_round", /round 5 is not open/);
      assert.equal((await send(`${url}/rounds/0/enrol`, "POST", enrolmentBody(members[0]!))).status, 202);
      await expect("/rounds/0/enrol", "POST", enrolmentBody(members[0]!), 409, "duplicate_enrolment", /already enrolled in round 0/);
      await expect("/rounds/0/masked", "POST", upload("member-0000"), 409, "not_collecting", /still enrolling/);
      for (const member of members.slice(1)) assert.equal((await send(`${url}/rounds/0/enrol`, "POST", enrolmentBody(member))).status, 202);
      await expect("/rounds/0/enrol", "POST", enrolmentBody(outsider), 409, "enrolment_closed", /roster of round 0 is closed/);
      await expect("/rounds/0/masked", "POST", upload(outsider.clientId), 403, "not_in_roster", /not in the roster of round 0/);
      await expect("/rounds/0/masked", "POST", upload("member-0000", LENGTH - 1), 400, "malformed", new RegExp(`must hold ${LENGTH} uint32 values`));
      await expect("/rounds/0/masked", "POST", { clientId: "member-0000", values: "%%%" }, 400, "malformed", /not valid base64/);
      await expect("/rounds/0/masked", "POST", upload("member-0000", 1_000), 413, "upload_too_large", /at most 2000 bytes/);
      assert.equal((await send(`${url}/rounds/0/masked`, "POST", upload("member-0000"))).status, 202);
      await expect("/rounds/0/masked", "POST", upload("member-0000"), 409, "duplicate_upload", /already uploaded/);
      assert.deepEqual(aggregator.book.counts, { enrolled: 3, uploaded: 1 }, "nothing refused was counted");
    } finally {
      await aggregator.close();
    }
  });

  it("refuses a configuration with fewer than 2 participants or more than the fixed point holds", () => {
    const config = { ...AGGREGATOR_DEFAULTS, port: 0, corsOrigins: [] };
    assert.throws(() => checkAggregatorConfig({ ...config, minParticipants: 1 }), /minParticipants must be an integer of at least 2/);
    assert.throws(() => checkAggregatorConfig({ ...config, participantsPerRound: 1025 }), /participantsPerRound must be an integer from minParticipants \(3\) to 1024/);
  });
});

describe("the recommendation aggregator against a slow client", () => {
  it("drops a connection whose upload body stalls, instead of holding it (and its buffered bytes) open for ever", { timeout: 20_000 }, async () => {
    const patient = await aggregatorWith({ requestTimeoutMs: 300 });
    try {
      const { hostname, port } = new URL(patient.url);
      const socket = connect(Number(port), hostname);
      await once(socket, "connect");
      socket.write(`POST /rounds/0/enrol HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"clientId":`);
      socket.resume();
      await once(socket, "close");
      assert.equal(patient.book.counts.enrolled, 0);
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
