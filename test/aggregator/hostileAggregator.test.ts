/**
 * The SDK's aggregator client against a hostile aggregator, a real node:http server on an
 * ephemeral port: a body announced or streamed past what valid factors can take, an error answer
 * that never ends, factors claiming more values than a client holds, and an answer that stalls.
 * The client stops reading at its cap (the server sees the connection closed long before it
 * would have finished) and fails with a sentence; nothing waits on a clock but the stall's own
 * timeout. The secure round's client refuses a hostile roster (its own key swapped, itself
 * missing, an id twice, too few or too many members, a malformed or low-order key, another
 * round's roster) with a sentence and uploads nothing, and gives up on a roster that never closes
 * saying nothing was sent. A round's entry is in the buyer's ledger before its masked upload leaves,
 * so an aggregator that takes the upload and answers an error (or nothing) cannot make it go
 * uncounted, and two rounds run at once cannot both pass the month's budget.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, describe, it } from "node:test";
import {
  AggregatorError,
  FACTORS_BODY_MAX_BYTES,
  fetchItemFactors,
  MAX_SECURE_PARTICIPANTS,
  memoryLedger,
  parseFactorsBody,
  PrivacyBudgetExhausted,
  randomItemFactors,
  RosterRefusedError,
  secureRoundKeyPair,
  seededRandom,
  takePartInRound,
  takePartInSecureRound,
  type EnrolmentBody,
  type ParticipationRound,
} from "@modelbazaar/sdk/recommend";

/** What the hostile server would send at most: far past any cap, so an uncapped client fails instead of hanging. */
const STREAM_LIMIT = 256 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, "A");

/** Writes CHUNK after CHUNK, as fast as the client reads, until the client goes away or STREAM_LIMIT; resolves with the bytes written. */
async function streamUntilClosed(response: ServerResponse): Promise<number> {
  let sent = 0;
  let closed = false;
  response.once("close", () => (closed = true));
  while (!closed && sent < STREAM_LIMIT) {
    sent += CHUNK.length;
    if (!response.write(CHUNK)) await drainedOrClosed(response);
  }
  response.end();
  return sent;
}

function drainedOrClosed(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off("drain", done).off("close", done);
      resolve();
    };
    response.once("drain", done).once("close", done);
  });
}

const servers: Server[] = [];
after(() => {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
});

/** A server answering every request with `answer`; `streamed` resolves with what an answer streamed. */
async function hostile(answer: (request: IncomingMessage, response: ServerResponse) => Promise<number> | void): Promise<{ url: string; streamed: Promise<number> }> {
  let resolveStreamed!: (bytes: number) => void;
  const streamed = new Promise<number>((resolve) => (resolveStreamed = resolve));
  const server = createServer((request, response) => void Promise.resolve(answer(request, response)).then((bytes) => resolveStreamed(bytes ?? 0)));
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, streamed };
}

const CONTRIBUTION = () => Float64Array.of(0.5, -1.25, 3);

describe("the aggregator client against a hostile aggregator", () => {
  it("stops reading factors streamed without end at its cap, with a sentence", async () => {
    const server = await hostile((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"round":0,"dimension":16,"itemCount":1,"values":"');
      return streamUntilClosed(response);
    });
    await assert.rejects(fetchItemFactors(server.url), new RegExp(`^RangeError: the aggregator's answer is larger than ${FACTORS_BODY_MAX_BYTES} bytes, the most a client reads$`));
    assert.ok((await server.streamed) < FACTORS_BODY_MAX_BYTES + 32 * 1024 * 1024, "the client closed the connection near its cap");
  });

  it("refuses a body announced larger than the cap before reading it", async () => {
    const server = await hostile((_request, response) => {
      response.writeHead(200, { "content-type": "application/json", "content-length": String(FACTORS_BODY_MAX_BYTES + 1) });
      return streamUntilClosed(response);
    });
    await assert.rejects(fetchItemFactors(server.url), /^RangeError: the aggregator's answer is larger than \d+ bytes, the most a client reads$/);
    assert.ok((await server.streamed) < FACTORS_BODY_MAX_BYTES, "the client read none of it");
  });

  it("reads only the start of an error answer without end, and still reports the status", async () => {
    const server = await hostile((_request, response) => {
      response.writeHead(500, { "content-type": "application/json" });
      return streamUntilClosed(response);
    });
    await assert.rejects(takePartInSecureRound(server.url, 0, CONTRIBUTION), (error: unknown) => {
      assert.ok(error instanceof AggregatorError);
      assert.equal(error.status, 500);
      assert.equal(error.message, "the aggregator answered HTTP 500");
      return true;
    });
    assert.ok((await server.streamed) < 32 * 1024 * 1024, "the client closed the connection near the error cap");
  });

  it("refuses factors of more values than a client holds before decoding them", () => {
    assert.throws(() => parseFactorsBody({ round: 0, dimension: 256, itemCount: 1_000_000, values: "" }), /^RangeError: the aggregator's factors hold 256000000 values \(1000000 items × 256\), but a client takes at most 4194304$/);
  });

  it("gives up on an answer that stalls, after its timeout", async () => {
    const server = await hostile((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"round":0,');
    });
    await assert.rejects(fetchItemFactors(server.url, { timeoutMs: 300 }), /^Error: the aggregator at http:\/\/127\.0\.0\.1:\d+\/ did not answer within 0\.3 s$/);
  });
});

/** Other members with fresh real keys, as an honest roster would list them. */
const others = (count: number, prefix = "other"): EnrolmentBody[] =>
  Array.from({ length: count }, (_, k) => ({ clientId: `${prefix}-${String(k).padStart(5, "0")}`, publicKey: Buffer.from(secureRoundKeyPair().publicKey).toString("hex") }));

/**
 * An aggregator that takes enrolments, answers the roster `roster(last enrolled, every enrolled)`
 * and records every masked upload (answered with `uploadStatus`).
 */
async function rosterServer(roster: (self: EnrolmentBody, enrolled: readonly EnrolmentBody[]) => unknown, uploadStatus = 202): Promise<{ url: string; uploads: string[] }> {
  const uploads: string[] = [];
  const enrolled: EnrolmentBody[] = [];
  const server = await hostile((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += String(chunk)));
    request.on("end", () => answer(request.url ?? "", body, response));
  });
  const answer = (url: string, body: string, response: ServerResponse) => {
    if (url.endsWith("/enrol")) enrolled.push(JSON.parse(body) as EnrolmentBody);
    if (url.endsWith("/masked")) uploads.push(body);
    const isRoster = url.includes("/roster");
    response.writeHead(isRoster ? 200 : url.endsWith("/masked") ? uploadStatus : 202, { "content-type": "application/json" }).end(JSON.stringify(isRoster ? roster(enrolled.at(-1)!, enrolled) : { accepted: true }));
  };
  return { url: server.url, uploads };
}

describe("the secure round's client against a hostile roster", () => {
  const swappedKey = others(1)[0]!.publicKey;
  const cases: [string, (self: EnrolmentBody) => unknown, RegExp][] = [
    ["its own key swapped", (self) => ({ round: 0, members: [{ ...self, publicKey: swappedKey }, ...others(3)] }), /lists this client with a public key that is not its own/],
    ["itself missing", () => ({ round: 0, members: others(4) }), /does not list this client \([0-9a-f]{32}\)/],
    ["an id twice", (self) => ({ round: 0, members: [self, ...others(2), others(1)[0]!] }), /lists client other-00000 twice/],
    ["too few members", (self) => ({ round: 0, members: [self, ...others(1)] }), /has 2 members, fewer than the 3 this client takes part with/],
    ["too many members", (self) => ({ round: 0, members: [self, ...others(MAX_SECURE_PARTICIPANTS)] }), /has 1025 members, more than the 1024/],
    ["a malformed key", (self) => ({ round: 0, members: [self, ...others(2), { clientId: "other-short", publicKey: "ab".repeat(31) }] }), /roster member 3: publicKey must be a 32-byte x25519 key/],
    ["a low-order key", (self) => ({ round: 0, members: [self, ...others(2), { clientId: "other-zero", publicKey: "00".repeat(32) }] }), /a member's public key is not a usable x25519 key/],
    ["another round's roster", (self) => ({ round: 1, members: [self, ...others(3)] }), /it is the roster of round 1/],
  ];
  for (const [name, roster, reason] of cases) {
    it(`refuses a roster with ${name} and uploads nothing`, async () => {
      const server = await rosterServer(roster);
      await assert.rejects(takePartInSecureRound(server.url, 0, CONTRIBUTION), (error: unknown) => {
        assert.ok(error instanceof RosterRefusedError, String(error));
        assert.match(error.message, /^refusing the roster of round 0: .*; nothing was uploaded$/);
        assert.match(error.message, reason);
        return true;
      });
      assert.deepEqual(server.uploads, []);
    });
  }

  it("takes part when the roster passes the checks (the control)", async () => {
    const server = await rosterServer((self) => ({ round: 0, members: [self, ...others(2)] }));
    assert.deepEqual(await takePartInSecureRound(server.url, 0, CONTRIBUTION), { round: 0, participants: 3 });
    assert.equal(server.uploads.length, 1);
  });

  it("gives up on a roster that never closes, saying nothing was sent", async () => {
    const uploads: string[] = [];
    const server = await hostile((request, response) => {
      if (request.url?.endsWith("/masked")) uploads.push(request.url);
      const roster = request.url?.includes("/roster");
      response.writeHead(202, { "content-type": "application/json" }).end(JSON.stringify(roster ? { enrolled: 1, needed: 3 } : { enrolled: true }));
    });
    await assert.rejects(takePartInSecureRound(server.url, 0, CONTRIBUTION, { waitMs: 300 }), (error: unknown) => {
      assert.ok(error instanceof AggregatorError);
      assert.equal(error.code, "roster_not_closed");
      assert.equal(error.message, "the roster of round 0 did not close within 0.3 s; no contribution was sent");
      return true;
    });
    assert.deepEqual(uploads, []);
  });
});

describe("the buyer's ledger against a hostile aggregator", () => {
  const published = { round: 0, factors: randomItemFactors(4, 2, seededRandom(1)) };
  const profile = { factor: [], history: [{ itemId: 1, kind: "buy" as const, timestamp: 1 }] };
  const now = Date.UTC(2026, 11, 7) / 1000;

  it("keeps a round whose masked upload was sent though the aggregator answered an error", async () => {
    const server = await rosterServer((self) => ({ round: 0, members: [self, ...others(2)] }), 500);
    const ledger = memoryLedger();
    await assert.rejects(takePartInRound(server.url, profile, published, ledger, now, seededRandom(2)), (error: unknown) => error instanceof AggregatorError && error.status === 500);
    assert.equal(server.uploads.length, 1, "the upload left");
    assert.deepEqual(ledger.read().map((r) => r.round), [0], "so its ε counts");
  });

  it("keeps nothing when the roster is refused (nothing left)", async () => {
    const server = await rosterServer(() => ({ round: 0, members: others(4) }));
    const ledger = memoryLedger();
    await assert.rejects(takePartInRound(server.url, profile, published, ledger, now, seededRandom(2)), RosterRefusedError);
    assert.deepEqual([server.uploads, ledger.read()], [[], []]);
  });

  it("lets only one of two rounds run at once past the budget's last round, and the other uploads nothing", async () => {
    const server = await rosterServer((_self, enrolled) => ({ round: 0, members: [...enrolled, ...others(2)] }));
    const spentTwo: ParticipationRound[] = [1, 2].map((round) => ({ round, at: now, sumNoiseMultiplier: 1.197, uploadNoiseMultiplier: 1.197 / Math.sqrt(3) }));
    const ledger = memoryLedger(spentTwo);
    const outcomes = await Promise.allSettled([1, 2].map((seed) => takePartInRound(server.url, profile, published, ledger, now, seededRandom(seed))));
    assert.deepEqual(outcomes.map((o) => o.status).sort(), ["fulfilled", "rejected"]);
    assert.ok(outcomes.some((o) => o.status === "rejected" && o.reason instanceof PrivacyBudgetExhausted));
    assert.equal(server.uploads.length, 1);
    assert.equal(ledger.read().length, 3);
  });
});
