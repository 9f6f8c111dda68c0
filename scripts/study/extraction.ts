/**
 * `npm run study:extraction`: the model-extraction study (issue #15). Attacks the shipped
 * models through the test-drive channel under each defence setting and writes
 * docs/studies/extraction.md (tables and SVG plots beside it), docs/studies/extraction.json
 * (every number) and sdk/src/listings/extractionCurves.json (what the listing policy
 * suggestion reads).
 *
 *   node scripts/study/extraction.ts [--small] [--out DIR] [--curves FILE]
 *
 * --small runs a seconds-long configuration (the tests' own) and by default writes nothing
 * outside --out (default docs/studies; with --small, a temporary directory unless given).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { mkdtempSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { extractionCurves, markdownTables, plots, resultJson } from "./report.ts";
import { runStudy } from "./runStudy.ts";
import { FULL_STUDY, SMALL_STUDY } from "./studyConfig.ts";

const REPORT_MARKER = "<!-- study tables: written by npm run study:extraction -->";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { small: { type: "boolean", default: false }, out: { type: "string" }, curves: { type: "string" } } });
  const config = values.small ? SMALL_STUDY : FULL_STUDY;
  const out = values.out ?? (values.small ? mkdtempSync(join(tmpdir(), "extraction-")) : "docs/studies");
  const curvesFile = values.curves ?? (values.small ? join(out, "extractionCurves.json") : "sdk/src/listings/extractionCurves.json");
  const started = performance.now();
  const result = runStudy(config, (line) => console.log(line));
  const seconds = (performance.now() - started) / 1000;
  const date = new Date().toISOString().slice(0, 10);
  const machine = `${cpus().length} cores, load average ${loadavg()[0]!.toFixed(2)} at the end`;
  await mkdir(out, { recursive: true });
  await writeFile(join(out, "extraction.json"), resultJson(result, { date, seconds, machine }));
  await writeFile(curvesFile, `${JSON.stringify(extractionCurves(result, date), null, 2)}\n`);
  for (const plot of plots(result)) await writeFile(join(out, plot.file), plot.svg);
  await writeFile(join(out, "extraction.md"), await reportWithTables(join(out, "extraction.md"), markdownTables(result), { date, seconds, machine, small: config.small }));
  console.log(`study: ${seconds.toFixed(0)} s; wrote ${out}/extraction.{md,json}, ${plots(result).length} plots and ${curvesFile}`);
}

/** The report with its generated section replaced (the prose above the marker is kept). */
async function reportWithTables(path: string, tables: string, meta: { date: string; seconds: number; machine: string; small: boolean }): Promise<string> {
  const existing = await readFile(path, "utf8").catch(() => `# Model extraction through test-drives\n\n${REPORT_MARKER}\n`);
  const prose = existing.includes(REPORT_MARKER) ? existing.slice(0, existing.indexOf(REPORT_MARKER)) : `${existing}\n`;
  const header = `Measured ${meta.date}${meta.small ? " (--small configuration)" : ""} in ${meta.seconds.toFixed(0)} s (${meta.machine}).`;
  return `${prose}${REPORT_MARKER}\n\n${header}\n\n${tables}\n`;
}

main().catch((error: unknown) => {
  console.error(`study:extraction: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
