/**
 * The dApp's table: zebra rows on wide screens, stacked cards under 640 px (styles.css
 * `.table-stack`), where each cell is labelled with its column's name.
 */
import type { ReactNode } from "react";

export interface DataTableProps {
  readonly header: readonly string[];
  readonly rows: readonly (readonly ReactNode[])[];
  /** A stable key per row (defaults to its index). */
  readonly rowKey?: (index: number) => string;
  /** data-testid of every body row. */
  readonly rowTestId?: string;
  /** Stack rows as cards under 640 px (default); a narrow table may stay a table. */
  readonly stack?: boolean;
}

export function DataTable({ header, rows, rowKey, rowTestId, stack = true }: DataTableProps) {
  return (
    <div className={`overflow-x-auto rounded-box ${stack ? "sm:border sm:border-base-300 sm:bg-base-100" : "border border-base-300 bg-base-100"}`}>
      <table className={`table table-zebra ${stack ? "table-stack" : "table-sm sm:table-md"}`}>
        <thead>
          <tr>
            {header.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={rowKey?.(i) ?? i} data-testid={rowTestId}>
              {row.map((cell, j) => (
                <td key={j} data-label={header[j]}>
                  <span className="min-w-0 break-words">{cell}</span>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
