/**
 * The `queue` section of the worker config: where a scaled-out worker's evaluations go. Without
 * it the worker evaluates on its own threads with nothing but SQLite (the default for one
 * machine); with it the HTTP front puts accepted jobs on a BullMQ queue in this Redis and
 * evaluation nodes (`main.ts --role evaluator`) take them. `MODELBAZAAR_REDIS_URL` in the
 * environment sets or overrides `queue.redisUrl`, so a password in the URL need not be in the
 * file.
 */
import { ConfigError } from "../config.ts";

export const REDIS_URL_ENV = "MODELBAZAAR_REDIS_URL";

export interface QueueConfig {
  /** redis://[user:password@]host:port[/db] or rediss:// (TLS). */
  readonly redisUrl: string;
  /** The BullMQ queue (and the prefix of its blobs): fronts sharing one Redis need distinct names. Default "modelbazaar-evaluations". */
  readonly name?: string;
  /** How long a node's claim on a job lasts unless renewed (ms; renewed at half of it while the node lives). Default 30 000. */
  readonly lockDurationMs?: number;
  /** How often each node looks for jobs whose node stopped renewing (ms). Default 30 000. */
  readonly stalledIntervalMs?: number;
  /** How many times a job may lose its node (killed, cut off) and be taken by another before it fails. Default 3. */
  readonly maxStalledCount?: number;
  /** At start, how long to keep retrying an unreachable Redis (backoff from 0.5 s to 30 s). Default 5 min. */
  readonly startTimeoutMs?: number;
  /** How long a node's result waits in Redis for the front before it expires (s); an expired result is evaluated again. Default 1 day. */
  readonly resultTtlSeconds?: number;
  /** How long an upload stays in Redis without its front (s): the front puts it back while its job waits, so only an abandoned one expires. Default 1 day. */
  readonly uploadTtlSeconds?: number;
  /** How often the front looks up each job it waits for, putting back what Redis lost (ms); the queue's events wake it sooner. Default 10 000. */
  readonly checkIntervalMs?: number;
  /** Jobs on the queue (waiting or being evaluated) beyond which the front refuses new uploads with 503 and Retry-After. Default 100. */
  readonly maxQueuedJobs?: number;
}

export const QUEUE_DEFAULTS = {
  name: "modelbazaar-evaluations",
  lockDurationMs: 30_000,
  stalledIntervalMs: 30_000,
  maxStalledCount: 3,
  startTimeoutMs: 5 * 60_000,
  resultTtlSeconds: 24 * 60 * 60,
  uploadTtlSeconds: 24 * 60 * 60,
  checkIntervalMs: 10_000,
  maxQueuedJobs: 100,
} as const;

const NUMBERS = ["lockDurationMs", "stalledIntervalMs", "maxStalledCount", "startTimeoutMs", "resultTtlSeconds", "uploadTtlSeconds", "checkIntervalMs", "maxQueuedJobs"] as const;

/** The config file's `queue` value with the environment's {REDIS_URL_ENV}; undefined when neither asks for a queue. */
export function readQueueConfig(value: unknown, env: NodeJS.ProcessEnv = process.env): QueueConfig | undefined {
  const fromEnv = env[REDIS_URL_ENV];
  if (value === undefined && !fromEnv) return undefined;
  if (value !== undefined && (typeof value !== "object" || value === null || Array.isArray(value))) {
    throw new ConfigError(`"queue" must be an object such as { "redisUrl": "redis://127.0.0.1:6379" }`);
  }
  const raw = (value ?? {}) as Record<string, unknown>;
  const redisUrl = fromEnv || raw.redisUrl;
  if (typeof redisUrl !== "string" || !isRedisUrl(redisUrl)) {
    throw new ConfigError(`"queue.redisUrl" (or ${REDIS_URL_ENV}) must be a redis:// or rediss:// URL such as "redis://127.0.0.1:6379"`);
  }
  if (raw.name !== undefined && (typeof raw.name !== "string" || !/^[A-Za-z0-9_.-]{1,64}$/.test(raw.name))) {
    throw new ConfigError(`"queue.name" must be 1 to 64 letters, digits, "_", "." or "-"`);
  }
  const numbers: Partial<Record<(typeof NUMBERS)[number], number>> = {};
  for (const key of NUMBERS) {
    const n = raw[key];
    if (n === undefined) continue;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 1) throw new ConfigError(`"queue.${key}" must be a positive integer`);
    numbers[key] = n;
  }
  return { redisUrl, ...(raw.name === undefined ? {} : { name: raw.name as string }), ...numbers };
}

function isRedisUrl(text: string): boolean {
  return URL.canParse(text) && /^rediss?:$/.test(new URL(text).protocol);
}
