/** The checks that failed, first and in full: what broke the rules matters more than what held. */
import { useId } from "react";
import type { AuditFinding } from "../../../../../sdk/src/audit/index.ts";

export function FailedChecks({ failed }: { failed: readonly AuditFinding[] }) {
  const id = useId();
  if (failed.length === 0) return null;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>Failed checks</h2>
      <ul>
        {failed.map((f, i) => (
          <li key={i}>
            <strong>{f.check}</strong> [{f.subject}]: {f.detail}
          </li>
        ))}
      </ul>
    </section>
  );
}
