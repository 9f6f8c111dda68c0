/** Every check the audit ran, grouped by rule: how many subjects each was run on, and how many held. */
import type { AuditFinding } from "@modelbazaar/sdk/audit";
import { ReportTable } from "./ReportTable.tsx";

export function CheckTable({ findings }: { findings: readonly AuditFinding[] }) {
  const byCheck = new Map<string, { run: number; held: number }>();
  for (const f of findings) {
    const counts = byCheck.get(f.check) ?? { run: 0, held: 0 };
    byCheck.set(f.check, { run: counts.run + 1, held: counts.held + (f.ok ? 1 : 0) });
  }
  const rows = [...byCheck].map(([check, { run, held }]) => [<code>{check}</code>, run, held, run - held]);
  return <ReportTable title="Checks by rule" header={["rule", "subjects", "held", "failed"]} rows={rows} stack={false} />;
}
