/**
 * An evaluation node (`main.ts --role evaluator`) as a real child process, for the scale-out
 * tests and the worker benchmark: its JSON log lines parsed as they arrive, waits on a line
 * (an event, never a sleep), kill -9 and a clean SIGTERM stop.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { LOG_DIR_ENV } from "../../offchain-worker/src/logging.ts";

const MAIN = new URL("../../offchain-worker/src/main.ts", import.meta.url).pathname;

export interface NodeLogLine {
  readonly msg?: string;
  readonly jobId?: string;
  readonly [key: string]: unknown;
}

export interface EvaluationNodeProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly lines: NodeLogLine[];
  /** Everything it wrote, for failure messages. */
  output(): string;
  /** What it wrote on stderr (a node logs everything through its logger: nothing, unless it crashed). */
  stderr(): string;
  /** Resolves with the first line (already seen or to come) that `match` accepts; rejects if the node exits first. */
  waitFor(match: (line: NodeLogLine) => boolean): Promise<NodeLogLine>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

export async function spawnEvaluationNode(configPath: string, name: string, env: Record<string, string> = {}): Promise<EvaluationNodeProcess> {
  const child = spawn(process.execPath, [MAIN, "--role", "evaluator", "--config", configPath, "--name", name], {
    // The suite's log folder (MODELBAZAAR_LOG_DIR) too: a node's log is checked for secrets like the front's.
    env: { PATH: process.env.PATH ?? "", ...(process.env[LOG_DIR_ENV] ? { [LOG_DIR_ENV]: process.env[LOG_DIR_ENV] } : {}), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: NodeLogLine[] = [];
  const waiters = new Set<{ match: (line: NodeLogLine) => boolean; resolve: (line: NodeLogLine) => void }>();
  let text = "";
  let errors = "";
  let pending = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    text += chunk.toString();
    pending += chunk.toString();
    const complete = pending.split("\n");
    pending = complete.pop() ?? "";
    for (const raw of complete) {
      if (!raw.startsWith("{")) continue;
      const line = JSON.parse(raw) as NodeLogLine;
      lines.push(line);
      for (const waiter of waiters) if (waiter.match(line)) (waiters.delete(waiter), waiter.resolve(line));
    }
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    text += chunk.toString();
    errors += chunk.toString();
  });
  const exited = once(child, "exit");
  const node: EvaluationNodeProcess = {
    name,
    child,
    lines,
    output: () => text,
    stderr: () => errors,
    waitFor: (match) => {
      const seen = lines.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.add({ match, resolve });
        void exited.then(() => reject(new Error(`evaluation node ${name} exited (${child.exitCode ?? child.signalCode}) before the awaited line:\n${text}`)));
      });
    },
    kill: async (signal) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
  };
  await node.waitFor((line) => line.msg === "evaluation node ready");
  return node;
}

/** The line a node logs when it starts evaluating `jobId`. */
export const evaluating = (jobId: string) => (line: NodeLogLine) => line.msg === "evaluating" && line.jobId === jobId;
