/**
 * The command line the protection studies share: `--quick` (fewer epochs and models: a smoke
 * run whose numbers are not the study's) and `--out DIR` (default docs/studies), and the two
 * files each study writes there.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";

export interface StudyArgs {
  readonly quick: boolean;
  readonly out: string;
}

export function studyArgs(): StudyArgs {
  const { values } = parseArgs({ options: { quick: { type: "boolean", default: false }, out: { type: "string", default: "docs/studies" } } });
  return { quick: values.quick, out: values.out };
}

/** Writes `<name>.json` (the raw numbers) and `<name>.md` (the report) into `out`. */
export async function writeStudy(out: string, name: string, results: unknown, markdown: string): Promise<void> {
  await mkdir(out, { recursive: true });
  await writeFile(join(out, `${name}.json`), `${JSON.stringify(results, null, 1)}\n`);
  await writeFile(join(out, `${name}.md`), markdown);
  console.log(`wrote ${join(out, `${name}.md`)} and ${name}.json`);
}

/** A p-value as the reports print it. */
export function pText(p: number): string {
  return p >= 0.01 ? p.toFixed(2) : p === 0 ? "< 1e-300" : p.toExponential(1);
}

export const percent = (x: number): string => `${(100 * x).toFixed(2)}%`;
