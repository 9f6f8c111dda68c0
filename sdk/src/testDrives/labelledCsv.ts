/**
 * A buyer's test set as a CSV text: a header line, then one sample per row, its numeric
 * features and a trailing label column. Labels are kept as written (a class index such as `2`,
 * or a class name such as `setosa`): ../listings/classLabels.ts reads them against the listing.
 * Each row remembers its line, so refusals name it. Shared by `bazaar test-drive` (a file on
 * disk) and the dApp (a file the buyer picks), so both refuse a file with the same sentence.
 */

export interface CsvSamples {
  /** Row-major samples x featureCount. */
  readonly features: Float64Array;
  /** The label column as written, one per sample. */
  readonly labels: readonly string[];
  /** The file's line number of each sample (the header is line 1). */
  readonly lines: readonly number[];
  readonly featureCount: number;
  readonly sampleCount: number;
}

/** The text is not a labelled test set; the sentence names `source` and the line. */
export class LabelledCsvError extends Error {
  override readonly name = "LabelledCsvError";
}

/** Reads `text` (named `source` in refusals, e.g. the file's name) as a labelled test set. */
export function parseLabelledCsv(text: string, source: string): CsvSamples {
  const rows = text
    .split(/\r?\n/)
    .map((line, i) => ({ line: i + 1, cells: line.split(",") }))
    .slice(1)
    .filter(({ cells }) => cells.join("").trim() !== "");
  if (rows.length === 0) throw new LabelledCsvError(`${source} has no samples (expected a header line, then one sample per line)`);
  const width = rows[0]!.cells.length;
  const featureCount = width - 1;
  if (featureCount < 1) throw new LabelledCsvError(`${source} has no feature columns (expected the features, then the label)`);
  const features = new Float64Array(rows.length * featureCount);
  const labels: string[] = [];
  rows.forEach(({ line, cells }, s) => {
    if (cells.length !== width) throw new LabelledCsvError(`${source}, line ${line}: ${cells.length} columns, expected ${width}`);
    for (let c = 0; c < featureCount; c++) {
      const cell = cells[c]!.trim();
      const value = Number(cell);
      if (cell === "" || !Number.isFinite(value)) throw new LabelledCsvError(`${source}, line ${line}, column ${c + 1}: "${cell}" is not a number`);
      features[s * featureCount + c] = value;
    }
    labels.push(cells[featureCount]!);
  });
  return { features, labels, lines: rows.map((r) => r.line), featureCount, sampleCount: rows.length };
}
