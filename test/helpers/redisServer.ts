/**
 * A real Redis for tests: Debian's redis-server (scripts/ensure-toolchain.sh installs it),
 * started on a free loopback port with a temporary directory, a password (`requirepass`, a
 * fresh random one unless given, recorded among the suite's secrets so the whole-suite log
 * check greps every log for it) and, unless asked for, no persistence; ready once it says so
 * and answers PING; it can be killed (-9) and started again on the same port and directory
 * (with persistence it comes back with its data, without it comes back empty); killed at the end.
 * Without redis-server, {REDIS_MISSING} says why the tests that need it are skipped.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { freePort } from "../../scripts/lib/freePort.ts";
import { recordSuiteSecrets } from "../../scripts/test/logRedaction.ts";

const REDIS_SERVER = process.env.REDIS_SERVER_PATH ?? "/usr/bin/redis-server";

/** Why Redis tests skip on this machine, or false when redis-server is here. */
export const REDIS_MISSING: string | false = existsSync(REDIS_SERVER)
  ? false
  : `no redis-server at ${REDIS_SERVER}: apt-get install redis-server (scripts/ensure-toolchain.sh does) or set REDIS_SERVER_PATH`;

export interface RedisServerOptions {
  /** Default: a free one. */
  readonly port?: number;
  /** `requirepass`; default a fresh random one. */
  readonly password?: string;
  /** Append-only file, fsynced on every write, so a restart keeps every acknowledged write. Default false. */
  readonly persistent?: boolean;
}

export interface RedisServer {
  /** redis://:<password>@127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  readonly password: string;
  /** A client of this server (disconnect it when done). */
  client(): Redis;
  /** kill -9 (its directory stays). */
  kill(): Promise<void>;
  /** Starts it again (killed first if running) on the same port and directory; resolves once it answers PING. */
  start(): Promise<void>;
  /** kill -9, then removes its directory. */
  stop(): Promise<void>;
}

/** A password for a test Redis (hex, so it needs no escaping in a URL). */
export function redisPassword(): string {
  return randomBytes(16).toString("hex");
}

/** Starts redis-server and resolves once it answers PING. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  const password = options.password ?? redisPassword();
  recordSuiteSecrets({ "a test Redis's password": password });
  const dir = await mkdtemp(join(tmpdir(), "modelbazaar-redis-"));
  const url = `redis://:${password}@127.0.0.1:${port}`;
  const persistence = options.persistent ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"];
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--requirepass", password, "--save", "", ...persistence, "--dir", dir, "--maxmemory-policy", "noeviction"];
  const launch = async (): Promise<ChildProcess> => {
    const child = spawn(REDIS_SERVER, args, { stdio: ["ignore", "pipe", "pipe"] });
    await ready(child, port);
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null });
    try {
      await probe.connect();
      if ((await probe.ping()) !== "PONG") throw new Error("redis-server did not answer PING");
    } finally {
      probe.disconnect();
    }
    return child;
  };
  let child = await launch();
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGKILL");
    await once(child, "exit");
  };
  return {
    url,
    port,
    password,
    client: () => {
      const client = new Redis(url);
      client.on("error", () => undefined); // the tests kill this server on purpose; the client reconnects
      return client;
    },
    kill,
    start: async () => {
      await kill();
      child = await launch();
    },
    stop: async () => {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves on redis-server's "Ready to accept connections"; rejects if it exits first. */
function ready(child: ChildProcess, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready to accept connections/.test(output)) {
        child.stdout?.off("data", onData);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`redis-server on port ${port} exited (${code}) before it was ready:\n${output}`)));
  });
}
