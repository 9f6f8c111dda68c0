/**
 * One titled table of the audit report (a flow's rows, the checks), a labelled region so
 * readers and tests find it by name; an empty one says "none" rather than drawing a header.
 */
import { useId, type ReactNode } from "react";
import { DataTable } from "../../../components/DataTable.tsx";

export function ReportTable({ title, header, rows, stack }: { title: string; header: readonly string[]; rows: readonly (readonly ReactNode[])[]; stack?: boolean }) {
  const id = useId();
  return (
    <section aria-labelledby={id}>
      <h2 id={id} className="mb-3 flex items-center gap-2 text-lg font-semibold">
        {title} <span className="badge badge-ghost badge-sm">{rows.length}</span>
      </h2>
      {rows.length === 0 ? <p className="rounded-box bg-base-100 p-4 text-sm text-base-content/80">None.</p> : <DataTable header={header} rows={rows} stack={stack} />}
    </section>
  );
}
