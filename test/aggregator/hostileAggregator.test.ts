/**
 * The SDK's aggregator client against a hostile aggregator, a real node:http server on an
 * ephemeral port: a body announced or streamed past what valid factors can take, an error answer
 * that never ends, factors claiming more values than a client holds, and an answer that stalls.
 * The client stops reading at its cap (the server sees the connection closed long before it
 * would have finished) and fails with a sentence; nothing waits on a clock but the stall's own
 * timeout.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, describe, it } from "node:test";
import { AggregatorError, FACTORS_BODY_MAX_BYTES, federatedClientStep, fetchItemFactors, parseFactorsBody, randomItemFactors, seededRandom, sendUpload } from "@modelbazaar/sdk/recommend";

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

const UPLOAD = federatedClientStep(
  { factor: [], history: [{ itemId: 0, kind: "buy", timestamp: 1 }] },
  randomItemFactors(4, 2, seededRandom(1)),
  { round: 0, decoys: "all", clipNorm: 1, noiseMultiplier: 0.1 },
  seededRandom(2),
).upload;

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
    await assert.rejects(sendUpload(server.url, UPLOAD, "client-aaaa"), (error: unknown) => {
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
