/**
 * A real Redis for tests: Debian's redis-server (scripts/ensure-toolchain.sh installs it),
 * started on a free loopback port with a temporary directory and no persistence, ready once it
 * says so and answers PING, and killed at the end. Without redis-server, {REDIS_MISSING} says
 * why the tests that need it are skipped.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { freePort } from "../../scripts/lib/freePort.ts";

const REDIS_SERVER = process.env.REDIS_SERVER_PATH ?? "/usr/bin/redis-server";

/** Why Redis tests skip on this machine, or false when redis-server is here. */
export const REDIS_MISSING: string | false = existsSync(REDIS_SERVER)
  ? false
  : `no redis-server at ${REDIS_SERVER}: apt-get install redis-server (scripts/ensure-toolchain.sh does) or set REDIS_SERVER_PATH`;

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** kill -9, then removes its directory. */
  stop(): Promise<void>;
}

/** Starts redis-server on `port` (default: a free one) and resolves once it answers PING. */
export async function startRedisServer(port?: number): Promise<RedisServer> {
  const chosen = port ?? (await freePort());
  const dir = await mkdtemp(join(tmpdir(), "modelbazaar-redis-"));
  const child = spawn(REDIS_SERVER, ["--port", String(chosen), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--maxmemory-policy", "noeviction"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  await ready(child, chosen);
  const url = `redis://127.0.0.1:${chosen}`;
  const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null });
  try {
    await client.connect();
    if ((await client.ping()) !== "PONG") throw new Error("redis-server did not answer PING");
  } finally {
    client.disconnect();
  }
  return {
    url,
    port: chosen,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL");
        await once(child, "exit");
      }
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
