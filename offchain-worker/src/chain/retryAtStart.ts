/**
 * The worker's first contact with the chain, retried: a worker started while its RPC is down
 * (a node restarting, a provider's outage, the machine booting before the network) waits for
 * it with exponential backoff (0.5 s doubling to 30 s), logging each failure, for at most
 * `timeoutMs`, then gives up with a sentence. Only transport failures (no connection, an HTTP
 * error, a timeout) are retried: a contract or config error fails at once.
 */
import type { FastifyBaseLogger } from "fastify";
import { BaseError, HttpRequestError, SocketClosedError, TimeoutError, WebSocketRequestError } from "viem";
import { messageOf } from "../messageOf.ts";

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;

export interface RetryAtStartOptions {
  readonly timeoutMs: number;
  readonly log: FastifyBaseLogger;
}

export async function retryAtStart<T>(step: () => Promise<T>, { timeoutMs, log }: RetryAtStartOptions): Promise<T> {
  const started = Date.now();
  for (let attempt = 1, delayMs = FIRST_DELAY_MS; ; attempt++, delayMs = Math.min(delayMs * 2, MAX_DELAY_MS)) {
    try {
      return await step();
    } catch (error) {
      if (!isTransportFailure(error)) throw error;
      const elapsed = Date.now() - started;
      if (elapsed + delayMs > timeoutMs) {
        throw new Error(
          `cannot reach the chain's RPC after ${attempt} attempts over ${Math.round(elapsed / 1000)} s (${firstLine(error)}); ` +
            `check "rpcUrl" and that the node is up, or raise "chainStartTimeoutMs"`,
          { cause: error },
        );
      }
      log.warn({ attempt, retryInMs: delayMs, err: firstLine(error) }, "cannot reach the chain's RPC at start; retrying");
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
