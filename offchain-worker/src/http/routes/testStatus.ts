/**
 * GET /tests/:testId: what this worker knows about a test-drive, cheaply (no chain read):
 * the watcher's cached facts, the latest job and its receipt (with its CopyReceipt when the job
 * evaluated the buyer's own copy), and the refund dispute's claim
 * with what the worker decided and sent.
 */
import type { FastifyInstance } from "fastify";
import { HttpError } from "../httpError.ts";
import { parseTestId, type RouteContext } from "../routeContext.ts";

export function testStatusRoute(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Params: { testId: string } }>("/tests/:testId", async (request) => {
    const testId = parseTestId(request.params.testId);
    const test = ctx.tests.get(testId);
    const job = ctx.jobs.latestForTest(testId);
    if (!test && !job) throw new HttpError(404, "test_not_found", `this worker has seen no test-drive ${testId} of its listings`);
    const receipt = job ? ctx.receipts.get(job.id) : undefined;
    const copy = job ? ctx.copyReceipts.get(job.id) : undefined;
    const dispute = ctx.disputes.get(testId);
    return {
      testId: testId.toString(),
      test: test ? {
        listingId: test.listingId.toString(),
        buyer: test.buyer,
        sampleCount: test.sampleCount,
        dataCommitment: test.dataCommitment,
        openedBlock: test.openedBlock.toString(),
        receiptHash: test.receiptHash,
      } : null,
      job: job ? { id: job.id, status: job.status, error: job.error, createdAt: job.createdAt, updatedAt: job.updatedAt } : null,
      receipt: receipt ? {
        resultHash: receipt.resultHash,
        signature: receipt.signature,
        status: receipt.status,
        txHash: receipt.txHash,
        error: receipt.error,
      } : null,
      copy: copy ? { copyRoot: copy.copyRoot, copySize: copy.copySize.toString(), signature: copy.signature } : null,
      dispute: dispute ? {
        refund: dispute.refund.toString(),
        freeSamplesFee: dispute.freeSamplesFee.toString(),
        decision: dispute.decision,
        reason: dispute.reason,
        contestTx: dispute.contestTx,
        proofTx: dispute.proofTx,
        honestOpening: dispute.honestOpening,
        outcome: dispute.outcome,
        error: dispute.error,
      } : null,
    };
  });
}
