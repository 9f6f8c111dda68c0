/**
 * Test page for the browser prover: exposes `window.proverHarness.prove(request)`, which runs
 * proveDisputeInBrowser while a main-thread heartbeat measures the longest stall, and returns
 * the proof, every progress report and that stall (test/browser/disputeProver.test.ts drives it).
 */
import { proveDisputeInBrowser, type ProveRequest } from "@modelbazaar/sdk/prover/browser";
import type { ProvingProgress } from "@modelbazaar/sdk/prover";

export interface HarnessResult {
  ok: boolean;
  error?: string;
  publicSignals?: string[];
  proof?: unknown;
  calldata?: { a: string[]; c: string[] };
  progress: ProvingProgress[];
  elapsedMs: number;
  longestStallMs: number;
}

async function prove(request: ProveRequest & { abortAfterMs?: number }): Promise<HarnessResult> {
  const progress: ProvingProgress[] = [];
  const status = document.getElementById("status")!;
  let last = performance.now();
  let longestStallMs = 0;
  const heartbeat = setInterval(() => {
    const now = performance.now();
    longestStallMs = Math.max(longestStallMs, now - last);
    last = now;
  }, 20);
  const controller = new AbortController();
  if (request.abortAfterMs !== undefined) setTimeout(() => controller.abort(), request.abortAfterMs);
  const started = performance.now();
  try {
    const proof = await proveDisputeInBrowser({
      input: request.input,
      wasmUrl: request.wasmUrl,
      zkeyUrl: request.zkeyUrl,
      signal: controller.signal,
      onProgress: (p) => {
        progress.push(p);
        status.textContent = `${p.stage} ${(p.fraction * 100).toFixed(0)}%`;
      },
    });
    return {
      ok: true,
      publicSignals: proof.publicSignals,
      proof: proof.proof,
      calldata: { a: proof.calldata.a.map(String), c: proof.calldata.c.map(String) },
      progress,
      elapsedMs: performance.now() - started,
      longestStallMs,
    };
  } catch (error) {
    return { ok: false, error: (error as Error).message, progress, elapsedMs: performance.now() - started, longestStallMs };
  } finally {
    clearInterval(heartbeat);
  }
}

(window as unknown as { proverHarness: { prove: typeof prove } }).proverHarness = { prove };
