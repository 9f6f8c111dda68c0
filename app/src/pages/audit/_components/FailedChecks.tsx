/** The checks that failed, first and in full: what broke the rules matters more than what held. */
import { useId } from "react";
import type { AuditFinding } from "@modelbazaar/sdk/audit";

export function FailedChecks({ failed }: { failed: readonly AuditFinding[] }) {
  const id = useId();
  if (failed.length === 0) return null;
  return (
    <section aria-labelledby={id} className="card card-border border-error/60 bg-base-100">
      <div className="card-body p-4 sm:p-6">
        <h2 id={id} className="card-title text-error">
          Failed checks
        </h2>
        <ul className="list-inside list-disc space-y-1 break-words">
          {failed.map((f, i) => (
            <li key={i}>
              <strong>{f.check}</strong> [{f.subject}]: {f.detail}
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
