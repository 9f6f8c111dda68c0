/**
 * One titled table of the audit report (a flow's rows, the checks), a labelled region so
 * readers and tests find it by name; an empty one says "none" rather than drawing a header.
 */
import { useId, type ReactNode } from "react";

export function ReportTable({ title, header, rows }: { title: string; header: readonly string[]; rows: readonly (readonly ReactNode[])[] }) {
  const id = useId();
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>
        {title} ({rows.length})
      </h2>
      {rows.length === 0 ? (
        <p>None.</p>
      ) : (
        <table>
          <thead>
            <tr>
              {header.map((h) => (
                <th key={h}>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={i}>
                {row.map((cell, j) => (
                  <td key={j}>{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
