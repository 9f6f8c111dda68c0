/** A titled card of the model page (a section labelled by its heading). */
import type { ReactNode } from "react";

export function Panel({ id, title, children, className = "" }: { id: string; title: string; children: ReactNode; className?: string }) {
  return (
    <section aria-labelledby={id} className={`card min-w-0 border border-base-300 bg-base-100 ${className}`}>
      <div className="card-body gap-3 p-4 sm:p-6">
        <h2 id={id} className="card-title text-lg">
          {title}
        </h2>
        {children}
      </div>
    </section>
  );
}

/** Rows of a term and its value. */
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
