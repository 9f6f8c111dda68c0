/**
 * `npm run zoo:check [-- --quick] [-- --only=a,b [--merge]] [-- --deadline-min=N] [-- --max-upload-gib=N]`:
 * runs every model of the project's zoo (zooModels.ts) through the HE path, each in its own
 * process group (zooCase.ts) killed at its deadline, and writes docs/benchmarks/zoo.json and
 * zoo.md: compile result, depth, parameters, agreement with onnxruntime, time per 1,000
 * samples and the evaluation's peak memory. --quick runs the operator models only (about a
 * minute) and --only a chosen few; both print the table and write nothing, unless --merge:
 * then the chosen models' entries replace theirs in docs/benchmarks/zoo.json (the others are
 * kept as measured), each marked with its own run (date, load, deadline), and zoo.md is rewritten.
 * --render rewrites zoo.md from zoo.json, measuring nothing.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import type { ZooRow } from "./zooCase.ts";
import { ZOO, type ZooModel } from "./zooModels.ts";
import { renderZooMarkdown, type ZooEntry, type ZooReport } from "./zooReport.ts";

const option = (name: string) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = process.argv.includes("--quick");
const only = option("only")?.split(",");
const deadlineMs = Number(option("deadline-min") ?? 15) * 60_000;
const maxUploadGib = Number(option("max-upload-gib") ?? 2);
const merge = process.argv.includes("--merge");
if (merge && !only) {
  console.error("--merge needs --only=model[,model]: the models whose entries are measured again");
  process.exit(2);
}
const jsonUrl = new URL("../../docs/benchmarks/zoo.json", import.meta.url);
const mdUrl = new URL("../../docs/benchmarks/zoo.md", import.meta.url);

/** Runs one model's case in its own process group; the whole group (with its evaluation process) dies at the deadline. */
function runCase(model: ZooModel): Promise<ZooEntry> {
  const child = spawn(process.execPath, [new URL("./zooCase.ts", import.meta.url).pathname, model.name, `--max-upload-gib=${maxUploadGib}`], { detached: true, stdio: ["ignore", "pipe", "inherit"] });
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  const started = performance.now();
  const deadline = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), deadlineMs);
  return new Promise((resolve) => {
    child.once("close", (code, signal) => {
      clearTimeout(deadline);
      const seconds = (performance.now() - started) / 1000;
      const last = stdout.trim().split("\n").at(-1) ?? "";
      if (code === 0 && last.startsWith("{")) resolve({ row: JSON.parse(last) as ZooRow, seconds });
      else resolve({ model: { name: model.name, family: model.family, covers: model.covers }, seconds, ended: signal === "SIGKILL" ? `stopped at the ${deadlineMs / 60_000}-minute deadline` : `ended with ${signal ?? `exit code ${code}`}` });
    });
  });
}

if (process.argv.includes("--render")) {
  writeFileSync(mdUrl, renderZooMarkdown(JSON.parse(readFileSync(jsonUrl, "utf8")) as ZooReport));
  process.exit(0);
}

const chosen = ZOO.filter((m) => (only ? only.includes(m.name) : !quick || m.family === "operator"));
const entries: ZooEntry[] = [];
const load = loadavg()[0]!;
for (const model of chosen) {
  const entry = await runCase(model);
  console.error(`${model.name}: ${"row" in entry ? `${entry.row.compile.status}, HE ${entry.row.he?.status ?? "not run"}` : entry.ended} (${entry.seconds.toFixed(0)} s)`);
  entries.push(entry);
}
const report: ZooReport = { date: new Date().toISOString(), node: process.version, cpus: cpus().length, loadAverage: { before: load, after: loadavg()[0]! }, deadlineMinutes: deadlineMs / 60_000, maxUploadGib, entries };
if (merge) {
  const saved = JSON.parse(readFileSync(jsonUrl, "utf8")) as ZooReport;
  const run = { date: report.date, loadAverage: report.loadAverage, deadlineMinutes: report.deadlineMinutes };
  const rerun = new Map(entries.map((entry) => [entryName(entry), { ...entry, run }]));
  const merged: ZooReport = { ...saved, entries: saved.entries.map((entry) => rerun.get(entryName(entry)) ?? entry) };
  writeFileSync(jsonUrl, JSON.stringify(merged, null, 2) + "\n");
  writeFileSync(mdUrl, renderZooMarkdown(merged));
  console.error(`merged ${entries.length} model(s) into docs/benchmarks/zoo.json and zoo.md`);
} else if (quick || only) {
  console.log(renderZooMarkdown(report));
  console.error("--quick/--only: docs/benchmarks not rewritten");
} else {
  mkdirSync(new URL("../../docs/benchmarks/", import.meta.url), { recursive: true });
  writeFileSync(jsonUrl, JSON.stringify(report, null, 2) + "\n");
  writeFileSync(mdUrl, renderZooMarkdown(report));
  console.error(`wrote docs/benchmarks/zoo.json and zoo.md (${entries.length} models)`);
}

function entryName(entry: ZooEntry): string {
  return "row" in entry ? entry.row.name : entry.model.name;
}
