/**
 * `bazaar model check`'s progress on stderr (stdout stays the report, or clean `--json`): one
 * line per stage as it starts, with the time elapsed, and the estimate of the one-batch
 * measurement before it runs, so a check that takes minutes says so up front. Compiling
 * reports every node: its lines are thinned to the first, the last, and one per
 * COMPILE_LINE_INTERVAL_MS of the check's elapsed time, so a big model shows it is moving
 * without a line per node.
 */
import type { BatchEstimate } from "../../offchain-worker/src/he/engine/batchEstimate.ts";
import type { ModelCheckProgress } from "../../offchain-worker/src/he/modelCheck.ts";
import { byteText, durationText } from "@modelbazaar/sdk/labels";

/** One progress line per event, written to `write` (stderr by default). */
export const COMPILE_LINE_INTERVAL_MS = 1000;

export function modelCheckProgress(write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): (event: ModelCheckProgress) => void {
  let lastCompileLineMs = -Infinity;
  return (event) => {
    const at = `[${elapsedText(event.elapsedMs / 1000)}]`;
    if (event.stage === "compile") {
      const due = event.index === 1 || event.index === event.count || event.elapsedMs - lastCompileLineMs >= COMPILE_LINE_INTERVAL_MS;
      if (!due) return;
      lastCompileLineMs = event.elapsedMs;
      write(`${at} ${event.detail}`);
    } else if (event.stage === "estimate") {
      write(`${at} ${formatEstimate(event.estimate)}`);
    } else if (event.stage === "encrypt" || event.stage === "evaluate" || event.stage === "decrypt") {
      write(`${at} step ${event.index} of ${event.steps}: ${event.detail}, about ${durationText(event.estimateSeconds)}`);
    } else {
      write(`${at} ${event.detail}`);
    }
  };
}

/** The estimate in one sentence: the batch's time by part (and the CPU time and share it assumes) and the bytes it moves. */
export function formatEstimate(e: BatchEstimate): string {
  const longest = [...e.steps].sort((a, b) => b.seconds - a.seconds)[0];
  return [
    `estimate for one batch of ${e.samples} samples on this machine: about ${durationText(e.totalSeconds)}`,
    `(${durationText(e.cpuSeconds)} of CPU at the ${formatShare(e.cpuShare)} of a core this check got while timing)`,
    `(encrypt ${durationText(e.encryptSeconds)}, evaluate ${durationText(e.evaluateSeconds)}, decrypt ${durationText(e.decryptSeconds)}${longest ? `; longest step: ${longest.step}, ${durationText(longest.seconds)}` : ""}),`,
    `upload ${byteText(e.uploadBytes)} (relinearization keys ${byteText(e.relinKeyBytes)}), result ${byteText(e.resultBytes)}`,
  ].join(" ");
}

/** "100%", "38%": a share of a core. */
export function formatShare(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** The time since the check started, in tenths of a second until 10 s ("[0.0 s]", "[4.2 s]"), then as durations read. */
function elapsedText(seconds: number): string {
  return seconds < 10 ? `${seconds.toFixed(1)} s` : durationText(seconds);
}
