/**
 * GET /listings: the listings this worker serves, each with the model's HE plan summary and
 * the encryption parameters a buyer must use, how fast this machine evaluates a batch of it
 * (`evaluation`, null when the evaluator cannot say: sdk/src/worker/evaluationSpeed.ts), plus
 * counts from the local cache (tests seen by the chain watcher, jobs by status).
 */
import type { FastifyInstance } from "fastify";
import type { EvaluationSpeed } from "@modelbazaar/sdk/worker";
import { messageOf } from "../../messageOf.ts";
import type { RouteContext } from "../routeContext.ts";

export function listingsRoute(app: FastifyInstance, ctx: RouteContext): void {
  /** The evaluator's speed for a model; null (and a warning) when it has none or cannot measure. */
  const speedOf = async (modelId: string): Promise<EvaluationSpeed | null> => {
    if (!ctx.evaluator.speed) return null;
    try {
      return await ctx.evaluator.speed(modelId);
    } catch (error) {
      app.log.warn({ modelId, err: messageOf(error) }, "cannot measure the evaluation speed");
      return null;
    }
  };
  app.get("/listings", async () => {
    const served = [...ctx.listings.values()];
    const speeds = new Map<string, EvaluationSpeed | null>();
    for (const l of served) if (!speeds.has(l.modelId)) speeds.set(l.modelId, await speedOf(l.modelId));
    const tests = ctx.tests.countByListing();
    const jobs = ctx.jobs.countByListing();
    return {
      chainId: ctx.market.chainId,
      market: ctx.market.market,
      worker: ctx.market.signer.address,
      listings: served.map((l) => ({
        listingId: l.listingId.toString(),
        modelId: l.modelId,
        plan: l.description.plan,
        encryption: l.description.encryption,
        evaluation: speeds.get(l.modelId) ?? null,
        knownTests: tests.get(l.listingId.toString()) ?? 0,
        jobs: jobs.get(l.listingId.toString()) ?? { queued: 0, running: 0, done: 0, failed: 0 },
      })),
    };
  });
}
