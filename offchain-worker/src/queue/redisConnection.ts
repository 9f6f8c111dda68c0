/**
 * The connections of a scaled-out worker to its Redis: clients for BullMQ (which needs
 * `maxRetriesPerRequest: null`, so commands wait out a reconnect instead of failing), and the
 * wait at start for a Redis that is down, with the same backoff and bound as the chain's RPC
 * (../chain/retryAtStart.ts). Refused connections, resets and timeouts are waited out; a wrong
 * password or a URL that is not Redis fails at once. Every error a client or a BullMQ object
 * emits goes to the worker's logger ({logRedisErrors}), whose stream redacts the URL's
 * password, never to the console.
 */
import type { FastifyBaseLogger } from "fastify";
import { Redis } from "ioredis";
import { retryAtStart, type RetryAtStartOptions, type StartDependency } from "../chain/retryAtStart.ts";
import { messageOf } from "../messageOf.ts";

/** Socket errors worth waiting out (Redis restarting, the machine booting, a network blip). */
const TRANSIENT_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "EPIPE"]);

/** How long one probe may take to connect before it counts as a failed attempt. */
const PROBE_TIMEOUT_MS = 5_000;

export const REDIS: StartDependency = {
  name: "Redis",
  hint: `check "queue.redisUrl" (or MODELBAZAAR_REDIS_URL) and that redis-server is up, or raise "queue.startTimeoutMs"`,
  isTransient: (error) => TRANSIENT_CODES.has(errorCode(error) ?? "") || /Connection is closed|connect ETIMEDOUT/.test(messageOf(error)),
  describe: (error) => messageOf(error).split("\n")[0] ?? "",
};

/** Where Redis errors are logged: pino's (or fastify's) logger, writing through the redacting stream. */
export type RedisErrorLog = Pick<FastifyBaseLogger, "warn">;

/** A client for BullMQ and the blob store; it reconnects by itself after the start, logging each connection error. */
export function redisClient(url: string, connectionName: string, log: RedisErrorLog): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: null, connectionName });
  logRedisErrors(client, connectionName, log);
  return client;
}

/**
 * Logs the "error" events of a Redis client or a BullMQ Queue, QueueEvents or Worker as warnings
 * (one line, no stack). Without a listener, ioredis and BullMQ print them with console.error,
 * outside the worker's log and its redaction.
 */
export function logRedisErrors(emitter: { on(event: "error", listener: (error: Error) => void): unknown }, source: string, log: RedisErrorLog): void {
  emitter.on("error", (error) => log.warn({ source, err: messageOf(error).split("\n")[0] }, "Redis error"));
}

/** Resolves once Redis answers PING, waiting for it with backoff for at most `timeoutMs`; else throws a sentence. */
export async function waitForRedis(url: string, options: Omit<RetryAtStartOptions, "dependency">): Promise<void> {
  await retryAtStart(() => ping(url), { ...options, dependency: REDIS });
}

async function ping(url: string): Promise<void> {
  const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: PROBE_TIMEOUT_MS });
  let socketError: unknown;
  probe.on("error", (error) => (socketError = error)); // connect() only says "Connection is closed": the socket's error says why
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    throw socketError ?? error;
  } finally {
    probe.disconnect();
  }
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}
