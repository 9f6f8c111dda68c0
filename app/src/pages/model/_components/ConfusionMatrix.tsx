/**
 * The confusion matrix as a table (rows: true class, columns: predicted), each count with a bar
 * of its share of the row: green on the diagonal (right), red off it (wrong). The numbers are
 * text, so screen readers and contrast do not depend on the colours.
 */
export function ConfusionMatrix({ matrix, classNames }: { matrix: readonly (readonly number[])[]; classNames?: readonly string[] }) {
  const name = (i: number) => classNames?.[i] ?? `class ${i}`;
  return (
    // A scroll region on narrow screens: focusable, so the keyboard can scroll it.
    <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Confusion matrix">
      <table className="table table-sm w-auto" data-testid="confusion-matrix">
        <caption className="caption-bottom pt-2 text-left text-xs text-base-content/70">Rows: the true class (your labels). Columns: the class the model predicted.</caption>
        <thead>
          <tr>
            <th scope="col">true \ predicted</th>
            {matrix.map((_, j) => (
              <th key={j} scope="col" className="text-right">
                {name(j)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.map((row, i) => {
            const total = row.reduce((a, b) => a + b, 0) || 1;
            return (
              <tr key={i}>
                <th scope="row">{name(i)}</th>
                {row.map((count, j) => (
                  <td key={j} className="min-w-16 text-right tabular-nums">
                    <span className={i === j ? "font-semibold" : undefined}>{count}</span>
                    <span className="mt-1 block h-1.5 rounded-full bg-base-200" aria-hidden="true">
                      <span className={`block h-full rounded-full ${i === j ? "bg-success" : "bg-error"}`} style={{ width: `${(100 * count) / total}%` }} />
                    </span>
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
