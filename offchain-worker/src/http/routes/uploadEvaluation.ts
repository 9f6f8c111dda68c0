/**
 * POST /tests/:testId/evaluations: a buyer uploads its evaluation keys and ciphertexts
 * (`application/octet-stream`, streamed to disk, size-limited) with an EIP-712 signature
 * (see auth/uploadAuthorization.ts). Checks, cheapest first, each refusing with its own 4xx:
 *   1. the path and the auth headers are well-formed, the declared length fits the limit;
 *   2. on-chain, now (never the watcher's cache): the test exists and awaits its receipt,
 *      its listing is served here and names this worker's signer;
 *   3. the signature over (testId, nonce, the body's SHA-256 as declared in its header) recovers
 *      to the test's buyer, and the nonce was never used (it is burnt now, whatever follows):
 *      nobody but the buyer can make the worker receive a byte;
 *   4. the body streams to disk within the limit, hashed as it arrives, and is the body signed;
 *   5. the evaluator accepts the upload and it declares no more samples than were paid for.
 * Then the job is stored (queued) and started: 202 with the job id.
 */
import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { isAddressEqual, type Address } from "viem";
import {
  MalformedAuthorizationError,
  parseUploadAuthorization,
  recoverUploader,
} from "../../auth/uploadAuthorization.ts";
import type { UploadAuthorization } from "../../../../sdk/src/worker/uploadAuthorization.ts";
import type { OnChainTest } from "../../chain/marketClient.ts";
import { isUploadValidationError } from "../../evaluation/evaluator.ts";
import { messageOf } from "../../messageOf.ts";
import { JobExistsError } from "../../store/jobStore.ts";
import { HttpError } from "../httpError.ts";
import { receiveUpload, uploadTooLarge } from "../receiveUpload.ts";
import { parseTestId, type RouteContext, type ServedListing } from "../routeContext.ts";

export function uploadEvaluationRoute(app: FastifyInstance, ctx: RouteContext): void {
  app.post<{ Params: { testId: string } }>("/tests/:testId/evaluations", async (request, reply) => {
    const testId = parseTestId(request.params.testId);
    const authorization = parseAuthorization(request.headers);
    const declaredLength = Number(request.headers["content-length"]);
    if (declaredLength > ctx.uploadLimitBytes) throw uploadTooLarge(ctx.uploadLimitBytes);
    const { test, listing } = await checkOnChain(ctx, testId);
    const existing = ctx.jobs.latestForTest(testId);
    if (existing && existing.status !== "failed") {
      const message = `test ${testId} already has an evaluation job on this worker; see GET /tests/${testId}`;
      throw new HttpError(409, "job_exists", message);
    }
    const body = request.body as Readable | undefined;
    if (!body || typeof body.on !== "function") throw emptyUpload();
    await authenticate(ctx, test, authorization);

    const incomingPath = ctx.blobs.incomingPath(randomUUID());
    const { size, bodySha256 } = await receiveUpload(body, incomingPath, ctx.uploadLimitBytes);
    try {
      if (size === 0) throw emptyUpload();
      if (bodySha256 !== authorization.bodySha256) {
        throw new HttpError(400, "body_mismatch", `the body's SHA-256 is ${bodySha256}, not the ${authorization.bodySha256} the buyer signed`);
      }
      await inspect(ctx, test, listing, incomingPath, size);
      const jobId = randomUUID();
      const uploadPath = await ctx.blobs.adoptUpload(incomingPath, jobId);
      const job = createJob(ctx, {
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
      await ctx.blobs.discard(incomingPath);
    }
  });
}

function parseAuthorization(headers: Parameters<typeof parseUploadAuthorization>[0]): UploadAuthorization {
  try {
    return parseUploadAuthorization(headers);
  } catch (error) {
    if (error instanceof MalformedAuthorizationError) throw new HttpError(400, "malformed_signature", error.message);
    throw error;
  }
}

async function checkOnChain(ctx: RouteContext, testId: bigint): Promise<{ test: OnChainTest; listing: ServedListing }> {
  const test = await chainRead(() => ctx.market.readTest(testId));
  if (!test) throw new HttpError(404, "test_not_found", `test ${testId} does not exist on the market ${ctx.market.market}`);
  if (test.status !== "AwaitingReceipt") {
    throw new HttpError(409, "test_not_open", `test ${testId} is not open for evaluation (status ${test.status})`);
  }
  const listing = ctx.listings.get(test.listingId.toString());
  if (!listing) throw new HttpError(403, "listing_not_served", `test ${testId} is of listing ${test.listingId}, which this worker does not serve`);
  const workerSigner = await chainRead(() => ctx.market.workerSignerOf(test.listingId));
  if (!isAddressEqual(workerSigner, ctx.market.signer.address)) {
    throw new HttpError(
      403,
      "listing_not_served",
      `listing ${test.listingId} names worker signer ${workerSigner}, not this worker (${ctx.market.signer.address})`,
    );
  }
  return { test, listing };
}

async function authenticate(ctx: RouteContext, test: OnChainTest, authorization: UploadAuthorization) {
  let signer: Address;
  try {
    signer = await recoverUploader({ chainId: ctx.market.chainId, market: ctx.market.market }, test.testId, authorization);
  } catch (error) {
    if (error instanceof MalformedAuthorizationError) throw new HttpError(400, "malformed_signature", error.message);
    throw error;
  }
  if (!isAddressEqual(signer, test.buyer)) {
    throw new HttpError(
      401,
      "wrong_signer",
      `the signature is not by the buyer of test ${test.testId}: it was made for another test, another body digest, another chain or market, or by another account`,
    );
  }
  if (!ctx.nonces.consume(signer, authorization.nonce, test.testId)) {
    throw new HttpError(409, "nonce_replayed", `nonce ${authorization.nonce} was already used; sign the upload again with a fresh nonce`);
  }
}

async function inspect(ctx: RouteContext, test: OnChainTest, listing: ServedListing, uploadPath: string, uploadSize: number) {
  let declaredSamples: number;
  try {
    ({ declaredSamples } = await ctx.evaluator.inspectUpload({ modelId: listing.modelId, uploadPath, uploadSize }));
  } catch (error) {
    if (!isUploadValidationError(error)) throw error;
    if (error.problem === "malformed") throw new HttpError(400, "upload_malformed", `the upload is malformed: ${error.message}`);
    throw new HttpError(422, "upload_incompatible", `the upload does not fit model ${listing.modelId}: ${error.message}`);
  }
  if (declaredSamples > test.sampleCount) {
    throw new HttpError(
      422,
      "too_many_samples",
      `the upload holds ${declaredSamples} samples but test ${test.testId} paid for ${test.sampleCount}`,
    );
  }
}

function createJob(ctx: RouteContext, job: Parameters<RouteContext["jobs"]["create"]>[0]) {
  try {
    return ctx.jobs.create(job);
  } catch (error) {
    if (error instanceof JobExistsError) {
      void ctx.blobs.discard(job.uploadPath);
      throw new HttpError(409, "job_exists", `${error.message}; see GET /tests/${job.testId}`);
    }
    throw error;
  }
}

/** A read the route cannot do without: when the chain is unreachable, say so (503), not 500. */
async function chainRead<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw new HttpError(503, "chain_unavailable", `the worker cannot read the chain right now (${messageOf(error).split("\n")[0]}); try again later`);
  }
}

function emptyUpload(): HttpError {
  return new HttpError(400, "empty_upload", "the request has no body: send the evaluation keys and ciphertexts as application/octet-stream");
}
