/**
 * GET /tests/:testId/result: the encrypted result (binary) once the job is done, with the
 * receipt in headers (sdk/src/worker/resultHeaders.ts): its result hash (keccak256 of the body), the worker's EIP-712 signed
 * receipt, and the on-chain recording's status and transaction hash; for a test evaluated with the
 * buyer's own copy, the worker's signed CopyReceipt too (copy root, size, signature). The result is
 * encrypted under the buyer's key, so it is served without authentication.
 */
import { createReadStream } from "node:fs";
import type { FastifyInstance } from "fastify";
import { HttpError } from "../httpError.ts";
import { copyReceiptHeaders, RESULT_HEADERS } from "@modelbazaar/sdk/worker";
import { parseTestId, type RouteContext } from "../routeContext.ts";

export function resultRoute(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Params: { testId: string } }>("/tests/:testId/result", async (request, reply) => {
    const testId = parseTestId(request.params.testId);
    const job = ctx.jobs.latestForTest(testId);
    if (!job) throw new HttpError(404, "no_job", `this worker has no evaluation job for test ${testId}; upload first`);
    if (job.status === "failed") throw new HttpError(409, "job_failed", `the evaluation of test ${testId} failed: ${job.error}`);
    const receipt = ctx.receipts.get(job.id);
    if (job.status !== "done" || !receipt || !job.resultPath) {
      throw new HttpError(409, "result_not_ready", `the evaluation of test ${testId} is ${job.status}; try again shortly`);
    }
    reply
      .type("application/octet-stream")
      .header(RESULT_HEADERS.resultHash, receipt.resultHash)
      .header(RESULT_HEADERS.receiptSignature, receipt.signature)
      .header(RESULT_HEADERS.receiptStatus, receipt.status);
    if (receipt.txHash) reply.header(RESULT_HEADERS.receiptTx, receipt.txHash);
    const copy = ctx.copyReceipts.get(job.id);
    if (copy) reply.headers(copyReceiptHeaders(copy));
    return reply.send(createReadStream(job.resultPath));
  });
}
