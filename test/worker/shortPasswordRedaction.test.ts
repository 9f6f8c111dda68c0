/**
 * Review finding: the front's "worker started" line and an evaluation node's "ready" line log
 * the Redis URL itself, and the redactor skipped URL parts shorter than 6 characters (names
 * like "v3"), a short Redis password among them: it reached the log in clear.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { redactor } from "../../offchain-worker/src/logging.ts";

describe("a short password in a logged URL", () => {
  for (const url of ["redis://:pw123@127.0.0.1:6379", "redis://bob:pw1@127.0.0.1:6379/0", "https://ab:cd@rpc.example/v3"]) {
    it(`is redacted from ${url.replace(/:\/\/.*@/, "://…@")}`, () => {
      const password = new URL(url).password;
      const line = redactor({ urls: [url] })(JSON.stringify({ msg: "worker started", queue: url }));
      assert.ok(!line.includes(`:${password}@`), line);
      assert.match(line, /127\.0\.0\.1|rpc\.example/, "the host stays readable");
    });
  }
});
