/**
 * POST /tests/:testId/evaluations: a buyer uploads its evaluation keys and ciphertexts
 * (`application/octet-stream`, streamed to disk within the upload limits) with an EIP-712
 * signature (see auth/uploadAuthorization.ts). Checks, cheapest first, each refusing with its
 * own 4xx:
 *   1. the path and the auth headers are well-formed, the declared length fits the limit;
 *   2. without reading the chain: the signature recovers to a key, its nonce is unused, the test
 *      is one the chain watcher has seen on a listing served here (a test it has not seen yet
 *      waits for the watcher's next pass, which every waiting request shares; such waits are
 *      capped per signer and in total, else 503), the signer is its buyer and its receipt is
 *      not recorded: an unauthenticated request costs no chain read;
 *   3. on-chain, now (never the watcher's cache): the test exists and awaits its receipt,
 *      its listing is served here and names this worker's signer, the signer is its buyer:
 *      nobody but the buyer can make the worker receive a byte; the test has no live job here;
 *   4. the evaluators' backlog is not full (a scaled-out worker's queue; else 503 with
 *      Retry-After), and an upload slot is free for this test, this buyer and in total (else 429);
 *   5. the body streams to disk within the size limit, its deadline and its minimum rate,
 *      hashed as it arrives, and is the body signed (signedUpload.ts, shared with deliveries);
 *   6. the evaluator accepts the upload (every count checked before it is used) and it
 *      declares no more samples than were paid for.
 * The upload is inspected against, and the job evaluates, the buyer's own copy of the model when
 * the listing's config names one for the test's buyer (copies/servedCopies.ts), else the listed
 * model. Then the nonce is recorded and the job stored (queued) and started: 202 with the job id.
 */
import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { isAddressEqual, type Address } from "viem";
import { recoverUploader } from "../../auth/uploadAuthorization.ts";
import type { UploadAuthorization } from "@modelbazaar/sdk/worker";
import type { OnChainTest } from "../../chain/marketClient.ts";
import { isUploadValidationError } from "../../evaluation/evaluator.ts";
import { JobExistsError, type NewJob } from "../../store/jobStore.ts";
import { messageOf } from "../../messageOf.ts";
import { HttpError } from "../httpError.ts";
import { uploadBody, withReceivedUpload, type UploadKind } from "../signedUpload.ts";
import { chainRead, parseAuthorization, recoverRequestSigner, requireServedHere } from "../signedRequest.ts";
import { parseTestId, type RouteContext, type ServedListing } from "../routeContext.ts";

/** When a buyer refused for a full evaluation queue may try again (s). */
const QUEUE_FULL_RETRY_AFTER_S = 30;

const EVALUATION_UPLOAD: UploadKind = { kind: "evaluation", role: "buyer", content: "the evaluation keys and ciphertexts" };

export function uploadEvaluationRoute(app: FastifyInstance, ctx: RouteContext): void {
  app.post<{ Params: { testId: string } }>("/tests/:testId/evaluations", async (request, reply) => {
    const testId = parseTestId(request.params.testId);
    const authorization = parseAuthorization(request.headers);
    const body = uploadBody(ctx, request, EVALUATION_UPLOAD);
    const signer = await recoverRequestSigner(() => recoverUploader({ chainId: ctx.market.chainId, market: ctx.market.market }, testId, authorization));
    await refuseFromLocalRecords(ctx, testId, signer, authorization);
    const { test, listing } = await checkOnChain(ctx, testId);
    if (!isAddressEqual(signer, test.buyer)) throw wrongSigner(testId);
    const existing = ctx.jobs.latestForTest(testId);
    if (existing && existing.status !== "failed") {
      const message = `test ${testId} already has an evaluation job on this worker; see GET /tests/${testId}`;
      throw new HttpError(409, "job_exists", message);
    }

    const backlog = await ctx.evaluations.refusal();
    if (backlog) throw new HttpError(503, "queue_full", `${backlog}: try again later`, QUEUE_FULL_RETRY_AFTER_S);

    const upload = { kind: EVALUATION_UPLOAD, subject: `test ${testId}`, signer, authorization };
    const modelId = ctx.copies.forBuyer(test.listingId, test.buyer)?.modelId ?? listing.modelId;
    return withReceivedUpload(ctx, body, upload, async ({ path, size }) => {
      await inspect(ctx, test, modelId, path, size);
      const jobId = randomUUID();
      const uploadPath = await ctx.blobs.adoptUpload(path, jobId);
      const job = accept(ctx, authorization, {
        id: jobId,
        testId,
        listingId: test.listingId,
        modelId,
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
    });
  });
}

/**
 * The refusals this worker can make from its own records, before any chain read. A test the
 * watcher has not seen is looked for again after its next pass (shared by all waiting
 * requests, and made whether or not they come), so an unauthenticated request never reads the chain.
 */
async function refuseFromLocalRecords(ctx: RouteContext, testId: bigint, signer: Address, authorization: UploadAuthorization): Promise<void> {
  if (ctx.nonces.isUsed(signer, authorization.nonce)) throw nonceReplayed(authorization);
  const known = ctx.tests.get(testId) ?? (await ctx.chainWaits.wait(signer, () => afterNextScan(ctx, () => ctx.tests.get(testId))));
  if (!known) {
    throw new HttpError(
      404,
      "test_not_found",
      `this worker has seen no test-drive ${testId} of the listings it serves on the market ${ctx.market.market} (chain scanned to its head): it does not exist, or its listing is not served here`,
    );
  }
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

async function inspect(ctx: RouteContext, test: OnChainTest, modelId: string, uploadPath: string, uploadSize: number) {
  let declaredSamples: number;
  try {
    ({ declaredSamples } = await ctx.evaluator.inspectUpload({ modelId, uploadPath, uploadSize, paidSamples: test.sampleCount }));
  } catch (error) {
    if (!isUploadValidationError(error)) throw error;
    if (error.problem === "malformed") throw new HttpError(400, "upload_malformed", `the upload is malformed: ${error.message}`);
    if (error.problem === "too-many-samples") throw new HttpError(422, "too_many_samples", `${error.message} (test ${test.testId})`);
    throw new HttpError(422, "upload_incompatible", `the upload does not fit model ${modelId}: ${error.message}`);
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

/** `look()` again once the chain watcher has completed a pass begun after now; 503 when the chain cannot be scanned. */
async function afterNextScan<T>(ctx: RouteContext, look: () => T): Promise<T> {
  try {
    await ctx.chainScanned();
  } catch (error) {
    throw new HttpError(503, "chain_unavailable", `the worker cannot scan the chain right now (${messageOf(error).split("\n")[0]}); try again later`);
  }
  return look();
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

