/**
 * Reads a buyer's test set for the CLI: CSV with a header line, then one sample per row, its
 * numeric features and a trailing label column. Labels are kept as written (a class index such
 * as `2`, or a class name such as `setosa`): sdk/src/listings/classLabels.ts reads them against
 * the listing. Each row remembers its line, so refusals name it.
 */
import { readFileSync } from "node:fs";
import { CliError } from "./cliError.ts";

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

/** A text file's contents, or a CliError naming it. */
export function readTextFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
}

export function readLabelledCsv(path: string): CsvSamples {
  const rows = readTextFile(path)
    .split(/\r?\n/)
    .map((text, i) => ({ line: i + 1, cells: text.split(",") }))
    .slice(1)
    .filter(({ cells }) => cells.join("").trim() !== "");
  if (rows.length === 0) throw new CliError(`${path} has no samples (expected a header line, then one sample per line)`);
  const width = rows[0]!.cells.length;
  const featureCount = width - 1;
  if (featureCount < 1) throw new CliError(`${path} has no feature columns (expected the features, then the label)`);
  const features = new Float64Array(rows.length * featureCount);
  const labels: string[] = [];
  rows.forEach(({ line, cells }, s) => {
    if (cells.length !== width) throw new CliError(`${path}, line ${line}: ${cells.length} columns, expected ${width}`);
    for (let c = 0; c < featureCount; c++) {
      const cell = cells[c]!.trim();
      const value = Number(cell);
      if (cell === "" || !Number.isFinite(value)) throw new CliError(`${path}, line ${line}, column ${c + 1}: "${cell}" is not a number`);
      features[s * featureCount + c] = value;
    }
    labels.push(cells[featureCount]!);
  });
  return { features, labels, lines: rows.map((r) => r.line), featureCount, sampleCount: rows.length };
}
