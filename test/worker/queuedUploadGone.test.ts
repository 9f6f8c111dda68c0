/**
 * Review finding: a queued job whose upload is gone from the front's disk (a crash between the
 * runner's discard and its markFailed, an operator cleaning the folder) while Redis has neither
 * the job nor its upload. QueuedEvaluations read the missing file, took the ENOENT for a
 * command Redis refused and retried for ever: the job never ended, the buyer's test stayed
 * "running" until its window passed. It fails now, saying the upload is gone.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { after, before, describe, it } from "node:test";
import { pino } from "pino";
import { EvaluationFailedError } from "../../offchain-worker/src/evaluation/evaluationPool.ts";
import { QueuedEvaluations } from "../../offchain-worker/src/queue/queuedEvaluations.ts";
import { REDIS_MISSING, startRedisServer, type RedisServer } from "../helpers/redisServer.ts";

describe("a queued job whose upload left the front's disk", { skip: REDIS_MISSING, timeout: 60_000 }, () => {
  let redis: RedisServer;
  let queue: QueuedEvaluations;
  before(async () => {
    redis = await startRedisServer();
    queue = await QueuedEvaluations.start({ redisUrl: redis.url, name: "upload-gone", checkIntervalMs: 200 }, pino({ level: "silent" }));
  });
  after(async () => {
    await queue.close();
    await redis.stop();
  });

  it("fails the job with a sentence instead of retrying for ever", async () => {
    const task = { jobId: "gone-1", testId: 1n, listingId: 1n, modelId: "m", paidSamples: 1, uploadPath: join(tmpdir(), "modelbazaar-no-such-upload.bin") };
    await assert.rejects(queue.run(task), (error: unknown) => error instanceof EvaluationFailedError && /upload.*(disk|gone)/i.test(error.message));
  });
});
