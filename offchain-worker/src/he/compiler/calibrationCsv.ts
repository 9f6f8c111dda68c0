/**
 * Calibration samples from a CSV file, as `bazaar model check --calibration` and the worker's
 * `calibrationCsv` setting read them: a header line, then one sample per line holding the
 * model's input features, optionally followed by one label column (a class index or a class
 * name, ignored), so the labelled test set a buyer or seller already has works as it is. The
 * model's input size decides which: a row must hold exactly that many values, or one more.
 */
import { decodeModel } from "./onnx/decodeModel.ts";
import { numel } from "./values.ts";

export class CalibrationCsvError extends Error {
  override readonly name = "CalibrationCsvError";
}

export interface CalibrationCsv {
  /** Row-major samples x inputSize. */
  readonly samples: Float64Array;
  readonly sampleCount: number;
  /** Whether a trailing label column was present (and ignored). */
  readonly labelled: boolean;
}

export function parseCalibrationCsv(text: string, inputSize: number, source: string): CalibrationCsv {
  const lines = text.split(/\r?\n/);
  const rows = lines.map((line, i) => ({ line: i + 1, cells: line.split(",") })).slice(1).filter(({ cells }) => cells.join("").trim() !== "");
  if (rows.length === 0) throw new CalibrationCsvError(`${source} has no samples (expected a header line, then one sample per line)`);
  const width = rows[0]!.cells.length;
  if (width !== inputSize && width !== inputSize + 1) {
    throw new CalibrationCsvError(
      `${source} has ${width} columns, but the model takes ${inputSize} features per sample: give ${inputSize} feature columns, optionally followed by one label column`,
    );
  }
  const labelled = width === inputSize + 1;
  const samples = new Float64Array(rows.length * inputSize);
  rows.forEach(({ line, cells }, s) => {
    if (cells.length !== width) throw new CalibrationCsvError(`${source}, line ${line}: ${cells.length} columns, expected ${width}`);
    for (let c = 0; c < inputSize; c++) {
      const cell = cells[c]!.trim();
      const value = Number(cell);
      if (cell === "" || !Number.isFinite(value)) throw new CalibrationCsvError(`${source}, line ${line}, column ${c + 1}: "${cell}" is not a number`);
      samples[s * inputSize + c] = value;
    }
  });
  return { samples, sampleCount: rows.length, labelled };
}

/** The values per sample an ONNX model's input takes (its dimensions after the batch axis). */
export function modelInputSize(model: Uint8Array): number {
  return numel(decodeModel(model).input.sampleDims);
}
