/**
 * The demo's trade report: per step its title, what happened (who, what, amounts), its
 * checks, its transaction count and time; then a summary naming every failed check.
 */
import type { StepResult } from "./trade.ts";

export function formatStep(index: number, result: StepResult): string {
  const header = `${index}. ${result.title}  (${result.txCount} tx, ${(result.ms / 1000).toFixed(1)} s)`;
  const checks = result.checks.map((c) => `   ${c.ok ? "[ok]  " : "[FAIL]"} ${c.label}`);
  return [header, ...result.lines.map((line) => `   ${line}`), ...checks, ""].join("\n");
}

export function formatSummary(results: readonly StepResult[], totalMs: number): { text: string; ok: boolean } {
  const checks = results.flatMap((r) => r.checks);
  const failed = results.flatMap((r, i) => r.checks.filter((c) => !c.ok).map((c) => `  step ${i + 1} (${r.title}): ${c.label}`));
  const txCount = results.reduce((n, r) => n + r.txCount, 0);
  const ok = failed.length === 0 && checks.length > 0;
  const head = `Summary: ${checks.length - failed.length}/${checks.length} checks held over ${results.length} steps, ${txCount} transactions, ${(totalMs / 1000).toFixed(1)} s.`;
  const text = ok ? `${head}\nDEMO PASSED: every check held.` : `${head}\nDEMO FAILED:\n${failed.join("\n")}`;
  return { text, ok };
}
