/**
 * How the `bazaar` CLI finds a running `npm start` by itself: while it runs, `npm start` keeps
 * a note under the project's .modelbazaar/stacks/ (one per RPC port: its process id, JSON-RPC
 * URL, deployment record, worker and dApp URLs) and removes it when it stops. A note whose
 * process is gone (a crash, a kill -9) is ignored. The deployment sits in the note itself, so
 * a second stack (a test, another port) that rewrites deployments/31337.json does not mislead
 * a CLI talking to the first.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { processAlive } from "./processAlive.ts";

/** The project's root (this file is scripts/lib/runningStack.ts). */
export const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));

const STACKS_DIR = join(PROJECT_ROOT, ".modelbazaar", "stacks");

export interface RunningStack {
  /** The `npm start` process. */
  readonly pid: number;
  readonly rpcUrl: string;
  readonly chainId: number;
  /** The deployment record as deployments/<chainId>.json holds it (startBlock as a decimal string). */
  readonly deployment: { readonly chainId: number; readonly registry: string; readonly market: string; readonly startBlock: string };
  readonly workerUrl: string;
  /** The recommendation aggregator (absent in notes of stacks started before it existed). */
  readonly aggregatorUrl?: string;
  readonly appUrl: string;
  readonly startedAt: string;
}

function noteOf(rpcUrl: string): string {
  return join(STACKS_DIR, `${new URL(rpcUrl).port || "80"}.json`);
}

/** Writes the note for `stack`; returns the function that removes it (only if it is still this process's). */
export function announceRunningStack(stack: RunningStack): () => void {
  mkdirSync(STACKS_DIR, { recursive: true });
  const file = noteOf(stack.rpcUrl);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(stack, null, 2)}\n`);
  renameSync(tmp, file);
  return () => {
    if (readNote(file)?.pid === stack.pid) rmSync(file, { force: true });
  };
}

/** The stacks whose `npm start` process still runs, by RPC port. */
export function runningStacks(): RunningStack[] {
  let files: string[];
  try {
    files = readdirSync(STACKS_DIR).filter((name) => name.endsWith(".json"));
  } catch {
    return [];
  }
  return files.map((name) => readNote(join(STACKS_DIR, name))).filter((stack): stack is RunningStack => stack !== undefined && processAlive(stack.pid));
}

function readNote(file: string): RunningStack | undefined {
  try {
    const note = JSON.parse(readFileSync(file, "utf8")) as RunningStack;
    return typeof note.pid === "number" && typeof note.rpcUrl === "string" && typeof note.deployment === "object" ? note : undefined;
  } catch {
    return undefined;
  }
}

