/**
 * A first contact at start, retried: a worker started while what it depends on is down (its
 * chain's RPC: a node restarting, a provider's outage, the machine booting before the network;
 * or the Redis of a scaled-out worker) waits for it with exponential backoff (0.5 s doubling to
 * 30 s), logging each failure, for at most `timeoutMs`, then gives up with a sentence. Only
 * transient failures (no connection, an HTTP error, a timeout) are retried: a contract, config
 * or authentication error fails at once. The chain's RPC is the default dependency.
 */
import type { FastifyBaseLogger } from "fastify";
import { BaseError, HttpRequestError, SocketClosedError, TimeoutError, WebSocketRequestError } from "viem";
import { messageOf } from "../messageOf.ts";

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;

/** What the worker waits for at start, and how its failures read. */
export interface StartDependency {
  /** As in "cannot reach <name> at start", e.g. "the chain's RPC". */
  readonly name: string;
  /** What to check when it stays unreachable (the end of the final sentence). */
  readonly hint: string;
  /** True for a failure worth waiting out. */
  isTransient(error: unknown): boolean;
  /** The failure in one line. */
  describe(error: unknown): string;
}

export interface RetryAtStartOptions {
  readonly timeoutMs: number;
  readonly log: Pick<FastifyBaseLogger, "warn">;
  /** Default {CHAIN_RPC}. */
  readonly dependency?: StartDependency;
}

export const CHAIN_RPC: StartDependency = {
  name: "the chain's RPC",
  hint: `check "rpcUrl" and that the node is up, or raise "chainStartTimeoutMs"`,
  isTransient: isTransportFailure,
  describe: firstLine,
};

export async function retryAtStart<T>(step: () => Promise<T>, { timeoutMs, log, dependency = CHAIN_RPC }: RetryAtStartOptions): Promise<T> {
  const started = Date.now();
  for (let attempt = 1, delayMs = FIRST_DELAY_MS; ; attempt++, delayMs = Math.min(delayMs * 2, MAX_DELAY_MS)) {
    try {
      return await step();
    } catch (error) {
      if (!dependency.isTransient(error)) throw error;
      const elapsed = Date.now() - started;
      if (elapsed + delayMs > timeoutMs) {
        throw new Error(
          `cannot reach ${dependency.name} after ${attempt} attempts over ${Math.round(elapsed / 1000)} s (${dependency.describe(error)}); ${dependency.hint}`,
          { cause: error },
        );
      }
      log.warn({ attempt, retryInMs: delayMs, err: dependency.describe(error) }, `cannot reach ${dependency.name} at start; retrying`);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

function isTransportFailure(error: unknown): boolean {
  if (!(error instanceof BaseError)) return false;
  const transport = (e: unknown) => e instanceof HttpRequestError || e instanceof TimeoutError || e instanceof WebSocketRequestError || e instanceof SocketClosedError;
  return error.walk(transport) !== null;
}

/** viem's short message and details ("HTTP request failed.: fetch failed"), else the first line. */
function firstLine(error: unknown): string {
  if (error instanceof BaseError) return error.details ? `${error.shortMessage}: ${error.details}` : error.shortMessage;
  return messageOf(error).split("\n")[0] ?? "";
}
