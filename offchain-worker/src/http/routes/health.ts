/**
 * GET /health: identity (chain, market, worker signer) and whether the worker can serve: its
 * database answers the API's reads and its chain answers a block number within a few seconds.
 * 200 `{ status: "ok", … }` when both do; otherwise 503 `{ status: "unavailable", database,
 * chain }` with a sentence for the part that failed, so a supervisor or a load balancer sees
 * what a buyer would meet.
 */
import type { FastifyInstance } from "fastify";
import { messageOf } from "../../messageOf.ts";
import type { RouteContext } from "../routeContext.ts";

/** How long the chain may take to answer before the worker calls itself unavailable. */
const CHAIN_TIMEOUT_MS = 5_000;

export function healthRoute(app: FastifyInstance, ctx: RouteContext): void {
  app.get("/health", async (_request, reply) => {
    const database = check(() => ctx.probeDatabase());
    const chain = await checkChain(ctx);
    const identity = { chainId: ctx.market.chainId, market: ctx.market.market, worker: ctx.market.signer.address };
    if (database === "ok" && chain === "ok") return { status: "ok", ...identity };
    return reply.code(503).send({ status: "unavailable", database, chain, ...identity });
  });
}

function check(probe: () => void): string {
  try {
    probe();
    return "ok";
  } catch (error) {
    return `the database cannot be read: ${firstLine(error)}`;
  }
}

async function checkChain(ctx: RouteContext): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHAIN_TIMEOUT_MS / 1000} s`)), CHAIN_TIMEOUT_MS);
  });
  try {
    await Promise.race([ctx.market.blockNumber({ fresh: true }), timeout]);
    return "ok";
  } catch (error) {
    return `the chain cannot be read: ${firstLine(error)}`;
  } finally {
    clearTimeout(timer);
  }
}

function firstLine(error: unknown): string {
  return messageOf(error).split("\n")[0] ?? "";
}
