/** A titled card of a page (a section labelled by its heading), shared by the model, auction, purchase and sell pages. */
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
