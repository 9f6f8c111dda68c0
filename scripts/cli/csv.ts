/**
 * Reads a buyer's test set for the CLI: the file's text, parsed by the SDK's
 * parseLabelledCsv (sdk/src/testDrives/labelledCsv.ts, which the dApp uses too); every
 * refusal becomes a CliError with the same sentence.
 */
import { readFileSync } from "node:fs";
import { LabelledCsvError, parseLabelledCsv, type CsvSamples } from "@modelbazaar/sdk/testDrives";
import { CliError } from "./cliError.ts";

/** A text file's contents, or a CliError naming it. */
export function readTextFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
}

export function readLabelledCsv(path: string): CsvSamples {
  try {
    return parseLabelledCsv(readTextFile(path), path);
  } catch (error) {
    if (error instanceof LabelledCsvError) throw new CliError(error.message);
    throw error;
  }
}
