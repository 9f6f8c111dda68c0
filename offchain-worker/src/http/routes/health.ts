/**
 * GET /health: liveness and identity (chain, market, worker signer).
 */
import type { FastifyInstance } from "fastify";
import type { RouteContext } from "../routeContext.ts";

export function healthRoute(app: FastifyInstance, ctx: RouteContext): void {
  app.get("/health", async () => ({
    status: "ok",
    chainId: ctx.market.chainId,
    market: ctx.market.market,
    worker: ctx.market.signer.address,
  }));
}
