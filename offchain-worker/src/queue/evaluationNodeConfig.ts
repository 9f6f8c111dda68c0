/**
 * The configuration of an evaluation node, read from the same JSON file as the front's (so
 * one file serves every machine of a seller): `queue` (or MODELBAZAAR_REDIS_URL), `evaluator`,
 * the model ids of `listings`, `threads`, `dataDir` (where the node keeps the upload it is
 * evaluating) and `logLevel`. A node needs no chain, no RPC and no signer key: the front
 * checks the chain and signs every receipt.
 */
import { hostname } from "node:os";
import { dirname, join, resolve } from "node:path";
import { ConfigError, readConfigJson, readCopies, readEvaluator, type WorkerConfig } from "../config.ts";
import { readQueueConfig, REDIS_URL_ENV, type QueueConfig } from "./queueConfig.ts";

export interface EvaluationNodeConfig {
  readonly queue: QueueConfig;
  readonly evaluator: WorkerConfig["evaluator"];
  /** The model ids the evaluator loads (every served listing's, and every per-buyer copy's). */
  readonly modelIds: readonly string[];
  /** Evaluation threads, which is also how many jobs the node takes at once. Default: available cores - 1, at least 1. */
  readonly threads?: number;
  /** The node's name in the queue's records and its log; give each node its own, stable across restarts. Default `<hostname>-<pid>`. */
  readonly name: string;
  /** Where the node keeps the uploads it is evaluating: `<dataDir>/evaluation-nodes/<name>/`, emptied at start. */
  readonly scratchDir: string;
  readonly logLevel?: WorkerConfig["logLevel"];
  /** Where the JSON log lines go (code only; default stdout). */
  readonly logDestination?: { write(line: string): unknown };
}

export function readEvaluationNodeConfig(path: string, name: string | undefined, env: NodeJS.ProcessEnv = process.env): EvaluationNodeConfig {
  const base = dirname(resolve(path));
  const raw = readConfigJson(path);
  const queue = readQueueConfig(raw.queue, env);
  if (!queue) throw new ConfigError(`an evaluation node needs the queue's Redis: set "queue": { "redisUrl": "redis://…" } or ${REDIS_URL_ENV}`);
  if (typeof raw.dataDir !== "string" || raw.dataDir.length === 0) throw new ConfigError(`"dataDir" must be a non-empty string`);
  if (raw.threads !== undefined && (typeof raw.threads !== "number" || !Number.isInteger(raw.threads) || raw.threads < 1)) {
    throw new ConfigError(`"threads" must be a positive integer`);
  }
  const nodeName = name ?? `${hostname()}-${process.pid}`;
  // It names the node's scratch folder inside dataDir, which the node empties at start: "." or ".." would be dataDir or its parent.
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(nodeName)) throw new ConfigError(`a node name must be 1 to 64 letters, digits, "_", "." or "-", starting with a letter or digit, got ${JSON.stringify(nodeName)}`);
  return {
    queue,
    evaluator: readEvaluator(raw, base),
    modelIds: readModelIds(raw.listings),
    ...(raw.threads === undefined ? {} : { threads: raw.threads as number }),
    name: nodeName,
    scratchDir: join(resolve(base, raw.dataDir), "evaluation-nodes", nodeName),
    logLevel: (raw.logLevel as WorkerConfig["logLevel"]) ?? "info",
  };
}

function readModelIds(listings: unknown): string[] {
  if (!Array.isArray(listings) || listings.length === 0) throw new ConfigError(`"listings" must be a non-empty array of { "listingId": 1, "modelId": "..." }`);
  return [...new Set(listings.flatMap((entry: { modelId?: unknown; copies?: unknown }, i) => {
    if (typeof entry?.modelId !== "string") throw new ConfigError(`listings[${i}] needs a modelId (string)`);
    return [entry.modelId, ...(entry.copies === undefined ? [] : Object.values(readCopies(entry.copies, i)))];
  }))];
}
