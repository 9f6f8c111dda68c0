/**
 * Reads a buyer's or seller's data file for the CLI: CSV with a header line, one sample per
 * row, numeric features and (optionally) a trailing integer label column.
 */
import { readFileSync } from "node:fs";
import { CliError } from "./cliError.ts";

export interface CsvSamples {
  /** Row-major samples x featureCount. */
  readonly features: Float64Array;
  readonly labels?: Int32Array;
  readonly featureCount: number;
  readonly sampleCount: number;
}

export function readSamplesCsv(path: string, { labelled }: { labelled: boolean }): CsvSamples {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
  const rows = text.trim().split(/\r?\n/).slice(1).filter((row) => row.trim() !== "");
  if (rows.length === 0) throw new CliError(`${path} has no samples (expected a header line, then one sample per line)`);
  const width = rows[0]!.split(",").length;
  const featureCount = labelled ? width - 1 : width;
  if (featureCount < 1) throw new CliError(`${path} has no feature columns`);
  const features = new Float64Array(rows.length * featureCount);
  const labels = labelled ? new Int32Array(rows.length) : undefined;
  rows.forEach((row, s) => {
    const cells = row.split(",");
    if (cells.length !== width) throw new CliError(`${path}, line ${s + 2}: ${cells.length} columns, expected ${width}`);
    cells.forEach((cell, c) => {
      const value = Number(cell);
      if (cell.trim() === "" || !Number.isFinite(value)) throw new CliError(`${path}, line ${s + 2}, column ${c + 1}: "${cell}" is not a number`);
      if (labels && c === featureCount) {
        if (!Number.isInteger(value) || value < 0) throw new CliError(`${path}, line ${s + 2}: the label "${cell}" is not a class index`);
        labels[s] = value;
      } else features[s * featureCount + c] = value;
    });
  });
  return { features, labels, featureCount, sampleCount: rows.length };
}
