/**
 * A buyer's test set as CSV: a header `f0,...,f{n-1},label`, then one sample per line with its
 * raw features (shortest round-trip decimals) and its class index. The CLI reads such files;
 * `parseTestSetCsv` is the exact inverse of `testSetCsv`.
 */
import { writeFile } from "node:fs/promises";
import { DatasetError, makeDataset, type Dataset } from "./dataset.ts";

export function testSetCsv(dataset: Dataset): string {
  const { featureCount, features, labels } = dataset;
  const header = [...Array.from({ length: featureCount }, (_, f) => `f${f}`), "label"].join(",");
  const lines = [header];
  for (let s = 0; s < dataset.sampleCount; s++) {
    const row = Array.from(features.subarray(s * featureCount, (s + 1) * featureCount), String);
    lines.push(`${row.join(",")},${labels[s]}`);
  }
  return `${lines.join("\n")}\n`;
}

export async function writeTestSetCsv(path: string, dataset: Dataset): Promise<void> {
  await writeFile(path, testSetCsv(dataset));
}

/** Reads a test set written by `testSetCsv`; `classCount` bounds the labels. */
export function parseTestSetCsv(text: string, classCount: number): Dataset {
  const [header, ...rows] = text.split("\n").filter((line) => line.trim() !== "");
  const columns = header?.split(",") ?? [];
  if (columns.length < 2 || columns.at(-1) !== "label") {
    throw new DatasetError('A test set CSV needs a header "f0,...,label" with at least one feature column.');
  }
  const featureCount = columns.length - 1;
  const features = new Float64Array(rows.length * featureCount);
  const labels = new Uint8Array(rows.length);
  rows.forEach((row, s) => {
    const cells = row.split(",").map(Number);
    if (cells.length !== columns.length) {
      throw new DatasetError(`Line ${s + 2} of the test set has ${cells.length} values; the header has ${columns.length}.`);
    }
    const label = cells.pop()!;
    if (!Number.isInteger(label) || label < 0 || label >= classCount) {
      throw new DatasetError(`Line ${s + 2} of the test set has label ${label}, not a class index below ${classCount}.`);
    }
    features.set(cells, s * featureCount);
    labels[s] = label;
  });
  return makeDataset(features, labels, featureCount, classCount);
}
