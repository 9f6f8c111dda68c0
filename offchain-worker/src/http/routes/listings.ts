/**
 * GET /listings: the listings this worker serves, each with the model's HE plan summary and
 * the encryption parameters a buyer must use, plus counts from the local cache (tests seen by
 * the chain watcher, jobs by status).
 */
import type { FastifyInstance } from "fastify";
import type { RouteContext } from "../routeContext.ts";

export function listingsRoute(app: FastifyInstance, ctx: RouteContext): void {
  app.get("/listings", async () => {
    const tests = ctx.tests.countByListing();
    const jobs = ctx.jobs.countByListing();
    return {
      chainId: ctx.market.chainId,
      market: ctx.market.market,
      worker: ctx.market.signer.address,
      listings: [...ctx.listings.values()].map((l) => ({
        listingId: l.listingId.toString(),
        modelId: l.modelId,
        plan: l.description.plan,
        encryption: l.description.encryption,
        knownTests: tests.get(l.listingId.toString()) ?? 0,
        jobs: jobs.get(l.listingId.toString()) ?? { queued: 0, running: 0, done: 0, failed: 0 },
      })),
    };
  });
}
