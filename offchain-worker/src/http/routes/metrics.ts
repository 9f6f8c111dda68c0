/**
 * GET /metrics: the worker's Prometheus metrics as text (metrics/workerMetrics.ts). Served on the
 * API's own server, unauthenticated like /health: it holds counts, durations and error codes by
 * listing, never a buyer's address, a test id, a URL or a key (an operator who does not want it
 * public blocks the path at the reverse proxy, as for /health).
 */
import type { FastifyInstance } from "fastify";
import type { RouteContext } from "../routeContext.ts";

export function metricsRoute(app: FastifyInstance, ctx: RouteContext): void {
  app.get("/metrics", async (_request, reply) => {
    const { contentType, text } = await ctx.metrics.scrape();
    return reply.type(contentType).send(text);
  });
}
