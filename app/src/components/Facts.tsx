/** Rows of a term and its value (a description list), as the model, auction and purchase pages show their facts. */
import type { ReactNode } from "react";

export function Facts({ rows }: { rows: readonly (readonly [string, ReactNode])[] }) {
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
      {rows.map(([term, value]) => (
        <div key={term} className="contents">
          <dt className="text-base-content/70">{term}</dt>
          <dd className="min-w-0 text-right break-words sm:text-left">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
