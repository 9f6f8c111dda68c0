/**
 * Proves contests off the worker's main thread: each proof runs in a child process of its own
 * (proverProcess.ts; snarkjs spreads the work over its threads there), which exits once the
 * proof is sent back. Proving takes seconds of CPU, during which HTTP, the chain watcher and
 * receipts go on. Closing kills the running ones and rejects their proofs with
 * {ProverClosedError}; the dispute agent proves again on its next start (nothing about a proof
 * in progress is stored).
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { CircuitSignals } from "snarkjs";
import type { MarketGroth16Proof } from "@modelbazaar/sdk/prover";

const entry = fileURLToPath(new URL("./proverProcess.ts", import.meta.url));

/** What a prover process is given: the circuit input and its artifacts' path without extension. */
export interface ProverTask {
  readonly input: CircuitSignals;
  readonly base: string;
}

export type ProverReply = { readonly kind: "proved"; readonly calldata: MarketGroth16Proof } | { readonly kind: "failed"; readonly message: string };

export class ProverClosedError extends Error {
  override readonly name = "ProverClosedError";
}

export class ContestProver {
  readonly #running = new Set<ChildProcess>();
  #closed = false;

  /** Proves `task.input` with the circuit whose artifacts are `<base>.wasm` and `<base>.zkey`. */
  prove(task: ProverTask): Promise<MarketGroth16Proof> {
    if (this.#closed) return Promise.reject(new ProverClosedError("the contest prover is closed"));
    // "advanced" serialization carries bigints; no inherited flags (a test runner's) in the child.
    const child = fork(entry, { serialization: "advanced", execArgv: [], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    this.#running.add(child);
    return new Promise<MarketGroth16Proof>((resolve, reject) => {
      child.once("message", (reply: ProverReply) => (reply.kind === "proved" ? resolve(reply.calldata) : reject(new Error(`the contest proof failed: ${reply.message}`))));
      child.once("error", reject);
      child.once("exit", (code, signal) =>
        reject(this.#closed ? new ProverClosedError("the worker stopped before the proof was done") : new Error(`the prover process stopped (${signal ?? `exit code ${code}`}) without a proof`)),
      );
      child.send(task);
    }).finally(() => this.#running.delete(child));
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(
      [...this.#running].map((child) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : (child.once("exit", () => resolve()), child.kill())))),
    );
  }
}
