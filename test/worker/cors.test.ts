/**
 * CORS (issue #12, finding 10): a worker configured with `corsOrigins` answers a browser's
 * preflight for an upload from one of them (the upload headers allowed) and lets it read the
 * result headers; another origin, or a worker configured with none, gets no CORS headers.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { WorkerHandle } from "../../offchain-worker/src/startWorker.ts";
import { RESULT_HEADERS, UPLOAD_AUTH_HEADERS } from "@modelbazaar/sdk/worker";
import { workerFixture } from "./workerFixture.ts";

const APP = "http://127.0.0.1:5173";

describe("worker CORS", async () => {
  const f = await workerFixture();
  let worker: WorkerHandle;

  before(async () => {
    worker = await f.start({ corsOrigins: [APP] });
  });
  after(() => worker.close());

  const preflight = (target: WorkerHandle, origin: string) =>
    fetch(`${target.url}/tests/1/evaluations`, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": ["content-type", ...Object.values(UPLOAD_AUTH_HEADERS)].join(",") },
    });

  it("answers the preflight of an upload from a configured origin, with the upload headers allowed", async () => {
    const response = await preflight(worker, APP);
    assert.equal(response.status, 204);
    assert.equal(response.headers.get("access-control-allow-origin"), APP);
    assert.match(response.headers.get("access-control-allow-methods") ?? "", /POST/);
    const allowed = (response.headers.get("access-control-allow-headers") ?? "").toLowerCase();
    for (const header of ["content-type", ...Object.values(UPLOAD_AUTH_HEADERS)]) assert.ok(allowed.includes(header), `${header} in ${allowed}`);
  });

  it("lets the configured origin read the API's answers and the result headers", async () => {
    const response = await fetch(`${worker.url}/health`, { headers: { origin: APP } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("access-control-allow-origin"), APP);
    const exposed = response.headers.get("access-control-expose-headers") ?? "";
    for (const header of Object.values(RESULT_HEADERS)) assert.ok(exposed.includes(header), `${header} in ${exposed}`);
  });

  it("gives no CORS headers to another origin, nor to anyone when no origin is configured", async () => {
    const stranger = await preflight(worker, "https://evil.example");
    assert.equal(stranger.headers.get("access-control-allow-origin"), null);
    await worker.close();
    worker = await f.start();
    const none = await fetch(`${worker.url}/health`, { headers: { origin: APP } });
    assert.equal(none.headers.get("access-control-allow-origin"), null);
  });
});
