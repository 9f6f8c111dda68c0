/**
 * POST /tests/:testId/evaluations: a buyer uploads its evaluation keys and ciphertexts
 * (`application/octet-stream`, streamed to disk within the upload limits) with an EIP-712
 * signature (see auth/uploadAuthorization.ts). Checks, cheapest first, each refusing with its
 * own 4xx:
 *   1. the path and the auth headers are well-formed, the declared length fits the limit;
 *   2. without the chain: the signature recovers to a key, its nonce is unused, and, for a test
 *      the watcher has seen, the signer is its buyer and its receipt is not recorded (an
 *      unauthenticated request costs no chain read);
 *   3. on-chain, now (never the watcher's cache): the test exists and awaits its receipt,
 *      its listing is served here and names this worker's signer, the signer is its buyer:
 *      nobody but the buyer can make the worker receive a byte; the test has no live job here;
 *   4. an upload slot is free for this test, this buyer and in total (else 429);
 *   5. the body streams to disk within the size limit, its deadline and its minimum rate,
 *      hashed as it arrives, and is the body signed;
 *   6. the evaluator accepts the upload (every count checked before it is used) and it
 *      declares no more samples than were paid for.
 * Then the nonce is recorded and the job stored (queued) and started: 202 with the job id.
 */
import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { isAddressEqual, type Address } from "viem";
import { recoverUploader } from "../../auth/uploadAuthorization.ts";
import type { UploadAuthorization } from "../../../../sdk/src/worker/uploadAuthorization.ts";
import type { OnChainTest } from "../../chain/marketClient.ts";
import { isUploadValidationError } from "../../evaluation/evaluator.ts";
import { JobExistsError, type NewJob } from "../../store/jobStore.ts";
import { HttpError } from "../httpError.ts";
import { receiveUpload, uploadTooLarge } from "../receiveUpload.ts";
import { chainRead, parseAuthorization, recoverRequestSigner, requireServedHere } from "../signedRequest.ts";
import { parseTestId, type RouteContext, type ServedListing } from "../routeContext.ts";

export function uploadEvaluationRoute(app: FastifyInstance, ctx: RouteContext): void {
  app.post<{ Params: { testId: string } }>("/tests/:testId/evaluations", async (request, reply) => {
    const testId = parseTestId(request.params.testId);
    const authorization = parseAuthorization(request.headers);
    if (Number(request.headers["content-length"]) > ctx.uploadLimits.maxBytes) throw uploadTooLarge(ctx.uploadLimits.maxBytes);
    const body = request.body as Readable | undefined;
    if (!body || typeof body.on !== "function") throw emptyUpload();
    const signer = await recoverRequestSigner(() => recoverUploader({ chainId: ctx.market.chainId, market: ctx.market.market }, testId, authorization));
    refuseFromLocalRecords(ctx, testId, signer, authorization);
    const { test, listing } = await checkOnChain(ctx, testId);
    if (!isAddressEqual(signer, test.buyer)) throw wrongSigner(testId);
    const existing = ctx.jobs.latestForTest(testId);
    if (existing && existing.status !== "failed") {
      const message = `test ${testId} already has an evaluation job on this worker; see GET /tests/${testId}`;
      throw new HttpError(409, "job_exists", message);
    }

    const release = ctx.uploadSlots.acquire(`test ${testId}`, signer);
    const incomingPath = ctx.blobs.incomingPath(randomUUID());
    try {
      const { size, bodySha256 } = await receiveUpload(body, incomingPath, ctx.uploadLimits);
      if (size === 0) throw emptyUpload();
      if (bodySha256 !== authorization.bodySha256) {
        throw new HttpError(400, "body_mismatch", `the body's SHA-256 is ${bodySha256}, not the ${authorization.bodySha256} the buyer signed`);
      }
      await inspect(ctx, test, listing, incomingPath, size);
      const jobId = randomUUID();
      const uploadPath = await ctx.blobs.adoptUpload(incomingPath, jobId);
      const job = accept(ctx, authorization, {
        id: jobId,
        testId,
        listingId: test.listingId,
        modelId: listing.modelId,
        buyer: test.buyer,
        paidSamples: test.sampleCount,
        uploadPath,
      });
      ctx.runner.enqueue(job);
      return reply.code(202).send({
        jobId,
        testId: testId.toString(),
        status: job.status,
        statusUrl: `/tests/${testId}`,
        resultUrl: `/tests/${testId}/result`,
      });
    } finally {
      release();
      await ctx.blobs.discard(incomingPath);
    }
  });
}

/** The refusals this worker can make from its own records, before any chain read. */
function refuseFromLocalRecords(ctx: RouteContext, testId: bigint, signer: Address, authorization: UploadAuthorization): void {
  if (ctx.nonces.isUsed(signer, authorization.nonce)) throw nonceReplayed(authorization);
  const known = ctx.tests.get(testId);
  if (!known) return; // not seen by the watcher (yet): the chain decides
  if (!isAddressEqual(signer, known.buyer)) throw wrongSigner(testId);
  if (known.receiptHash) throw new HttpError(409, "test_not_open", `test ${testId} is not open for evaluation (status Evaluated: its receipt is recorded)`);
}

async function checkOnChain(ctx: RouteContext, testId: bigint): Promise<{ test: OnChainTest; listing: ServedListing }> {
  const test = await chainRead(() => ctx.market.readTest(testId));
  if (!test) throw new HttpError(404, "test_not_found", `test ${testId} does not exist on the market ${ctx.market.market}`);
  if (test.status !== "AwaitingReceipt") {
    throw new HttpError(409, "test_not_open", `test ${testId} is not open for evaluation (status ${test.status})`);
  }
  const listing = await requireServedHere(ctx, test.listingId, `test ${testId}`);
  return { test, listing };
}

async function inspect(ctx: RouteContext, test: OnChainTest, listing: ServedListing, uploadPath: string, uploadSize: number) {
  let declaredSamples: number;
  try {
    ({ declaredSamples } = await ctx.evaluator.inspectUpload({ modelId: listing.modelId, uploadPath, uploadSize, paidSamples: test.sampleCount }));
  } catch (error) {
    if (!isUploadValidationError(error)) throw error;
    if (error.problem === "malformed") throw new HttpError(400, "upload_malformed", `the upload is malformed: ${error.message}`);
    if (error.problem === "too-many-samples") throw new HttpError(422, "too_many_samples", `${error.message} (test ${test.testId})`);
    throw new HttpError(422, "upload_incompatible", `the upload does not fit model ${listing.modelId}: ${error.message}`);
  }
  if (declaredSamples > test.sampleCount) {
    throw new HttpError(422, "too_many_samples", `the upload holds ${declaredSamples} samples but test ${test.testId} paid for ${test.sampleCount}`);
  }
}

/** Records the nonce and stores the job, together (both synchronous: no other request runs in between). */
function accept(ctx: RouteContext, authorization: UploadAuthorization, job: NewJob) {
  if (!ctx.nonces.consume(job.buyer, authorization.nonce, job.testId)) throw nonceReplayed(authorization);
  try {
    return ctx.jobs.create(job);
  } catch (error) {
    ctx.nonces.release(job.buyer, authorization.nonce);
    void ctx.blobs.discard(job.uploadPath);
    if (error instanceof JobExistsError) throw new HttpError(409, "job_exists", `${error.message}; see GET /tests/${job.testId}`);
    throw error;
  }
}

function wrongSigner(testId: bigint): HttpError {
  return new HttpError(
    401,
    "wrong_signer",
    `the signature is not by the buyer of test ${testId}: it was made for another test, another body digest, another chain or market, or by another account`,
  );
}

function nonceReplayed(authorization: UploadAuthorization): HttpError {
  return new HttpError(409, "nonce_replayed", `nonce ${authorization.nonce} was already used; sign the upload again with a fresh nonce`);
}

function emptyUpload(): HttpError {
  return new HttpError(400, "empty_upload", "the request has no body: send the evaluation keys and ciphertexts as application/octet-stream");
}
