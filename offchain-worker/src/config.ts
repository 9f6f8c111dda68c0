/**
 * The worker's configuration: the type {startWorker} takes, its defaults, and the reader of
 * the JSON config file `main.ts` loads. The signer's private key is never in the file nor on
 * the command line: `main.ts` reads it from the environment ({SIGNER_KEY_ENV}).
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { isAddress, isHex, type Address, type Hex, type Transport } from "viem";
import type { JsonObject } from "./evaluation/evaluator.ts";
import { readQueueConfig, type QueueConfig } from "./queue/queueConfig.ts";

export const SIGNER_KEY_ENV = "MODELBAZAAR_WORKER_KEY";
/** Overrides the config file's `rpcUrl`, so a URL holding an API key can live in a root-only environment file (offchain-worker/deploy/). */
export const RPC_URL_ENV = "MODELBAZAAR_RPC_URL";

export interface ServedModel {
  readonly listingId: bigint;
  /** The model id the evaluator knows it by. */
  readonly modelId: string;
  /**
   * The plan salt of a contestable listing (docs/DISPUTES.md §3.1): the seller's secret, which
   * `bazaar model plan-salt` derives from the seller's key. With it the worker checks at start
   * that the plan it evaluates is the one the listing committed to, and contests refunds.
   */
  readonly planSalt?: bigint;
  /**
   * false: the worker never contests refunds of this listing (the seller does, by hand, with
   * `bazaar contest`), and a contestable listing needs no plan salt. Default true.
   */
  readonly contest?: boolean;
  /**
   * Per-buyer fingerprinted copies (docs/PROTOCOL.md §7.2): buyer address -> the model id of
   * that buyer's copy, which the evaluator serves like any other model. The buyer's test-drives
   * are evaluated with its copy, and the worker signs a CopyReceipt naming the copy's bytes.
   * Checked at start (copies/servedCopies.ts): not on a contestable listing.
   */
  readonly copies?: Readonly<Record<string, string>>;
}

export interface WorkerConfig {
  /** JSON-RPC URL of the chain; or pass {transport} instead (tests inject Hardhat's provider). */
  readonly rpcUrl?: string;
  readonly transport?: Transport;
  readonly market: Address;
  readonly registry: Address;
  /** The market's deployment block: where the watcher starts. Default 0. */
  readonly startBlock?: bigint;
  /** The worker signer's private key (the listing's `workerSigner`); it also pays for receipts. */
  readonly signerKey: Hex;
  /** SQLite file and blobs (uploads, results) live here. */
  readonly dataDir: string;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 8787; 0 picks a free port. */
  readonly port?: number;
  /** Largest accepted upload in bytes. Default 512 MiB. */
  readonly uploadLimitBytes?: number;
  /** Every upload must have arrived within this many ms of its first byte being awaited. Default 30 min. */
  readonly uploadDeadlineMs?: number;
  /** Slowest average rate (bytes/s) an upload may arrive at, checked once `uploadRateGraceMs` have passed. Default 64 KiB/s. */
  readonly uploadMinBytesPerSecond?: number;
  /** How long an upload may take before its rate is checked. Default 10 s. */
  readonly uploadRateGraceMs?: number;
  /** Uploads (test uploads and delivery hand-overs) received at once: per test or purchase, per signer, in total. Default 1, 2, 8. */
  readonly uploadsPerTest?: number;
  readonly uploadsPerSigner?: number;
  readonly uploadsTotal?: number;
  /** Uploads waiting for the chain watcher to see their test (at most 30 s each): per signer and in total; beyond, 503 with Retry-After. Default 2, 32. */
  readonly unseenTestWaitsPerSigner?: number;
  readonly unseenTestWaitsTotal?: number;
  /** Open HTTP connections at most; more are dropped by the server before a request is read. Default 512. */
  readonly maxConnections?: number;
  /** Browser origins allowed to call the API (CORS, preflight included), e.g. "https://app.example". Default none. */
  readonly corsOrigins?: readonly string[];
  /** At start, how long to keep retrying an unreachable RPC (backoff from 0.5 s to 30 s) before giving up. Default 5 min. */
  readonly chainStartTimeoutMs?: number;
  /** Where the JSON log lines go (code only; default stdout). Secrets are redacted from every line. */
  readonly logDestination?: { write(line: string): unknown };
  readonly listings: readonly ServedModel[];
  /** The evaluator module (path or file: URL) and its engine-specific settings. */
  readonly evaluator: { readonly module: string; readonly settings?: JsonObject };
  /** Evaluation threads. Default: available cores - 1, at least 1. */
  readonly threads?: number;
  /** Chain polling interval (watcher, transaction receipts). Default 2000 ms. */
  readonly pollIntervalMs?: number;
  /** Delay before retrying a receipt after an RPC failure. Default 5000 ms. */
  readonly retryDelayMs?: number;
  /**
   * The worker contests a refund claim when the refund at stake is at least this share of the
   * free samples' fee the claim staked, in bps (docs/DISPUTES.md §4.2). Default 5,000 (R ≥ F_free/2).
   */
  readonly contestThresholdBps?: number;
  /** Where the contest circuits' artifacts are (<dir>/<name>/<name>.wasm and .zkey). Default: the checked-in circuits/artifacts. */
  readonly circuitArtifactsDir?: string;
  /** Evaluate on evaluation nodes through this Redis (queue/queueConfig.ts); default: on this machine's threads. */
  readonly queue?: QueueConfig;
  /** fastify's logger option: false (default), true, or a pino level name. */
  readonly logLevel?: false | "fatal" | "error" | "warn" | "info" | "debug" | "trace";
}

export const DEFAULTS = {
  host: "127.0.0.1",
  port: 8787,
  uploadLimitBytes: 512 * 1024 * 1024,
  uploadDeadlineMs: 30 * 60_000,
  uploadMinBytesPerSecond: 64 * 1024,
  uploadRateGraceMs: 10_000,
  uploadsPerTest: 1,
  uploadsPerSigner: 2,
  uploadsTotal: 8,
  unseenTestWaitsPerSigner: 2,
  unseenTestWaitsTotal: 32,
  maxConnections: 512,
  chainStartTimeoutMs: 5 * 60_000,
  threads: Math.max(1, availableParallelism() - 1),
  pollIntervalMs: 2_000,
  retryDelayMs: 5_000,
  contestThresholdBps: 5_000,
  circuitArtifactsDir: fileURLToPath(new URL("../../circuits/artifacts/", import.meta.url)),
} as const;

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** The config file's JSON object, or a ConfigError saying why it cannot be read. */
export function readConfigJson(path: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(`cannot read the config file ${path}: ${(error as Error).message}`);
  }
}

/**
 * Reads a JSON config file. Addresses come from `market`/`registry`, or from a `deployment`
 * record (deployments/<chainId>.json, as written by `npm run deploy`); relative paths are
 * resolved against the config file's folder; MODELBAZAAR_RPC_URL in `env`, when set, replaces `rpcUrl`.
 */
export function readConfigFile(path: string, signerKey: string | undefined, env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const base = dirname(resolve(path));
  const raw = readConfigJson(path);
  const deployment = typeof raw.deployment === "string" ? readDeployment(resolve(base, raw.deployment)) : {};
  const merged = { ...deployment, ...raw };
  if (!signerKey || !isHex(signerKey) || signerKey.length !== 66) {
    throw new ConfigError(`set ${SIGNER_KEY_ENV} to the worker signer's private key (32 bytes of 0x-prefixed hex), or MODELBAZAAR_WORKER_KEYSTORE to its encrypted key file`);
  }
  return {
    rpcUrl: env[RPC_URL_ENV] || requireString(merged, "rpcUrl"),
    market: requireAddress(merged, "market"),
    registry: requireAddress(merged, "registry"),
    startBlock: BigInt(String(merged.startBlock ?? 0)),
    signerKey: signerKey as Hex,
    dataDir: resolve(base, requireString(merged, "dataDir")),
    host: optional(merged, "host", "string"),
    port: optional(merged, "port", "number"),
    uploadLimitBytes: optional(merged, "uploadLimitBytes", "number"),
    uploadDeadlineMs: optional(merged, "uploadDeadlineMs", "number"),
    uploadMinBytesPerSecond: optional(merged, "uploadMinBytesPerSecond", "number"),
    uploadRateGraceMs: optional(merged, "uploadRateGraceMs", "number"),
    uploadsPerTest: optional(merged, "uploadsPerTest", "number"),
    uploadsPerSigner: optional(merged, "uploadsPerSigner", "number"),
    uploadsTotal: optional(merged, "uploadsTotal", "number"),
    unseenTestWaitsPerSigner: optional(merged, "unseenTestWaitsPerSigner", "number"),
    unseenTestWaitsTotal: optional(merged, "unseenTestWaitsTotal", "number"),
    maxConnections: optional(merged, "maxConnections", "number"),
    corsOrigins: readOrigins(merged.corsOrigins),
    chainStartTimeoutMs: optional(merged, "chainStartTimeoutMs", "number"),
    threads: optional(merged, "threads", "number"),
    pollIntervalMs: optional(merged, "pollIntervalMs", "number"),
    contestThresholdBps: optional(merged, "contestThresholdBps", "number"),
    circuitArtifactsDir: typeof merged.circuitArtifactsDir === "string" ? resolve(base, merged.circuitArtifactsDir) : undefined,
    listings: readListings(merged.listings, base),
    evaluator: readEvaluator(merged, base),
    queue: readQueueConfig(merged.queue),
    logLevel: (merged.logLevel as WorkerConfig["logLevel"]) ?? "info",
  };
}

/** The `evaluator` section (module path resolved against the config file's folder `base`). */
export function readEvaluator(raw: Record<string, unknown>, base: string): WorkerConfig["evaluator"] {
  const evaluator = raw.evaluator as { module?: unknown; settings?: unknown } | undefined;
  if (typeof evaluator?.module !== "string") throw new ConfigError(`"evaluator.module" must name the evaluator module`);
  return {
    module: evaluator.module.startsWith("file:") ? evaluator.module : resolve(base, evaluator.module),
    settings: (evaluator.settings ?? {}) as JsonObject,
  };
}

function readDeployment(path: string): Record<string, unknown> {
  try {
    const d = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
    return { market: d.market, registry: d.registry, startBlock: d.startBlock };
  } catch (error) {
    throw new ConfigError(`cannot read the deployment record ${path}: ${(error as Error).message}`);
  }
}

function readListings(value: unknown, base: string): ServedModel[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new ConfigError(`"listings" must be a non-empty array of { "listingId": 1, "modelId": "..." }`);
  }
  return value.map((entry: { listingId?: unknown; modelId?: unknown; planSaltFile?: unknown; contest?: unknown; copies?: unknown }, i) => {
    if ((typeof entry.listingId !== "number" && typeof entry.listingId !== "string") || typeof entry.modelId !== "string") {
      throw new ConfigError(`listings[${i}] needs a listingId (number or decimal string) and a modelId (string)`);
    }
    if (entry.contest !== undefined && typeof entry.contest !== "boolean") throw new ConfigError(`listings[${i}].contest must be true or false`);
    if (entry.planSaltFile !== undefined && typeof entry.planSaltFile !== "string") throw new ConfigError(`listings[${i}].planSaltFile must name a file`);
    const planSalt = entry.planSaltFile === undefined ? undefined : readPlanSalt(resolve(base, entry.planSaltFile), i);
    const copies = entry.copies === undefined ? undefined : readCopies(entry.copies, i);
    return {
      listingId: BigInt(entry.listingId),
      modelId: entry.modelId,
      ...(planSalt === undefined ? {} : { planSalt }),
      ...(entry.contest === undefined ? {} : { contest: entry.contest }),
      ...(copies === undefined ? {} : { copies }),
    };
  });
}

/** `listings[i].copies`: an object of buyer address -> copy model id (the addresses are checked at start, servedCopies.ts). */
export function readCopies(value: unknown, i: number): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value) || !Object.values(value).every((id) => typeof id === "string" && id.length > 0)) {
    throw new ConfigError(`listings[${i}].copies must be an object naming, for each buyer address, the model id of its copy, e.g. { "0xBuyer…": "iris-logreg-copy-1" }`);
  }
  return value as Record<string, string>;
}

/** A plan salt file: the salt as 0x-hex (what `bazaar model plan-salt --out` writes). */
function readPlanSalt(path: string, i: number): bigint {
  let text: string;
  try {
    text = readFileSync(path, "utf8").trim();
  } catch (error) {
    throw new ConfigError(`cannot read listings[${i}].planSaltFile ${path}: ${(error as Error).message}`);
  }
  if (!isHex(text) || text.length < 3 || text.length > 66) throw new ConfigError(`listings[${i}].planSaltFile ${path} must hold the plan salt as 0x-hex (\`bazaar model plan-salt\` writes it)`);
  return BigInt(text);
}

/** `corsOrigins`: absolute http(s) origins, e.g. "http://localhost:5173" (no path). */
function readOrigins(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new ConfigError(`"corsOrigins" must be an array of origins such as "https://app.example"`);
  return value.map((origin: unknown, i) => {
    const parsed = typeof origin === "string" && URL.canParse(origin) ? new URL(origin) : undefined;
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
      throw new ConfigError(`corsOrigins[${i}] must be an origin such as "https://app.example" (scheme, host and port, no path), got ${JSON.stringify(origin)}`);
    }
    return origin;
  });
}

function requireString(raw: Record<string, unknown>, key: string): string {
  const value = raw[key];
  if (typeof value !== "string" || value.length === 0) throw new ConfigError(`"${key}" must be a non-empty string`);
  return value;
}

function requireAddress(raw: Record<string, unknown>, key: string): Address {
  const value = raw[key];
  if (typeof value !== "string" || !isAddress(value)) throw new ConfigError(`"${key}" must be an address`);
  return value;
}

function optional<T extends "string" | "number">(raw: Record<string, unknown>, key: string, type: T) {
  const value = raw[key];
  if (value === undefined) return undefined;
  if (typeof value !== type) throw new ConfigError(`"${key}" must be a ${type}`);
  return value as T extends "string" ? string : number;
}
