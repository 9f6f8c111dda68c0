/**
 * `npm run bench:app [-- --runs=n]`: the dApp's performance targets of issue #13, in a
 * production build in headless Chromium against `npm start`'s chain and worker:
 *
 * 1. the listings page's first load: JavaScript bytes gzipped that the page really loaded
 *    (Chromium's network events), target ≤ 250 KiB, and that snarkjs and node-seal are not
 *    among them (appFirstLoad.ts);
 * 2. a 100-sample Iris test-drive from file pick to decrypted report, target ≤ 15 s, timed
 *    phase by phase from the page's own progress events, against `bazaar test-drive` of the
 *    same CSV measured interleaved in the same run, as a ratio (appTestDrive.ts).
 *
 * Runs each `--runs` times (default 5) and reports medians. Writes docs/benchmarks/app.json
 * and app.md and prints the Markdown; exits non-zero when a target is missed. `--render`
 * rewrites app.md from app.json.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, platform, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { appDefine } from "../lib/appServer.ts";
import { buildApp, previewApp } from "../lib/appBuild.ts";
import { browserUnavailable, launchChromium } from "../lib/browser/chromium.ts";
import { DEMO_MODELS, devAccountKey } from "../lib/demoListings.ts";
import { ROOT } from "../zk/compile.ts";
import { startLocalStack } from "../../test/browser/localStack.ts";
import { irisCsv } from "../../test/browser/testDriveJourney.ts";
import { measureFirstLoad, type FirstLoad } from "./appFirstLoad.ts";
import { median, renderAppMarkdown, type AppReport } from "./appReport.ts";
import { browserTestDrive, cliTestDrive, PHASES, type BrowserTestDrive, type LocalMarket, type Phase } from "./appTestDrive.ts";
import { freePort } from "../lib/freePort.ts";

const runsArg = process.argv.find((a) => a.startsWith("--runs="));
const RUNS = runsArg ? Number(runsArg.slice("--runs=".length)) : 5;
if (!Number.isInteger(RUNS) || RUNS < 1) {
  console.error(`bench:app: --runs takes a positive whole number, got "${runsArg}"`);
  process.exit(2);
}
const SAMPLES = 100;
const FIRST_LOAD_TARGET_KIB = 250;
const TEST_DRIVE_TARGET_S = 15;
/** Dev accounts of the buyers: one fresh account per test-drive (npm start funds 20; 1 sells, 3 signs for the worker). */
const FIRST_BUYER = 5;

const loads = (): number[] => loadavg().map((x) => Number(x.toFixed(2)));
const log = (line: string): void => console.log(`bench:app: ${line}`);

const DOCS = join(ROOT, "docs", "benchmarks");

function writeReport(report: AppReport): void {
  mkdirSync(DOCS, { recursive: true });
  writeFileSync(join(DOCS, "app.json"), JSON.stringify(report, null, 2) + "\n");
  const md = renderAppMarkdown(report);
  writeFileSync(join(DOCS, "app.md"), md);
  console.log(md);
}

async function main(): Promise<void> {
  const unavailable = browserUnavailable();
  if (unavailable) throw new Error(unavailable);
  const loadAverage: Record<string, number[]> = { start: loads() };
  const previewPort = await freePort();
  const work = mkdtempSync(join(tmpdir(), "modelbazaar-bench-app-"));
  log("starting the local stack (npm start)...");
  const stack = await startLocalStack({ appOrigins: [`http://127.0.0.1:${previewPort}`] });
  const browser = await launchChromium();
  try {
    const deploymentFile = join(ROOT, "deployments", "31337.json");
    const deployment = JSON.parse(readFileSync(deploymentFile, "utf8")) as LocalMarket["deployment"] & { chainId: number };
    const market: LocalMarket = { rpcUrl: stack.rpcUrl, deployment };
    log("building the dApp for production...");
    const outDir = join(work, "dist");
    await buildApp({ outDir, define: appDefine({ rpcUrl: stack.rpcUrl, deployment }) });
    const site = await previewApp({ outDir, port: previewPort });
    loadAverage.built = loads();
    try {
      const firstLoads: FirstLoad[] = [];
      for (let run = 0; run < RUNS; run++) {
        firstLoads.push(await measureFirstLoad(browser, site.url, DEMO_MODELS.length));
        log(`first load ${run + 1}/${RUNS}: ${(firstLoads.at(-1)!.scriptGzipBytes / 1024).toFixed(1)} KiB gzipped, ${(firstLoads.at(-1)!.ms / 1000).toFixed(2)} s`);
      }
      loadAverage.firstLoad = loads();

      const { csv } = irisCsv(SAMPLES);
      const csvFile = join(work, "iris-100.csv");
      writeFileSync(csvFile, csv);
      const browserRuns: BrowserTestDrive[] = [];
      const cliRuns: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        browserRuns.push(await browserTestDrive(browser, { appUrl: site.url, market, buyerKey: devAccountKey(FIRST_BUYER + 2 * run), csv, samples: SAMPLES }));
        log(`dApp test-drive ${run + 1}/${RUNS}: ${(browserRuns.at(-1)!.totalMs / 1000).toFixed(2)} s (${PHASES.map(([p]) => `${p} ${(browserRuns.at(-1)!.phasesMs[p] / 1000).toFixed(2)}`).join(", ")})`);
        const cli = await cliTestDrive({ market, deploymentFile, buyerKey: devAccountKey(FIRST_BUYER + 2 * run + 1), csvFile, home: join(work, `cli-${run}`) });
        cliRuns.push(cli.totalMs);
        log(`bazaar test-drive ${run + 1}/${RUNS}: ${(cli.totalMs / 1000).toFixed(2)} s`);
      }
      loadAverage.end = loads();

      const last = firstLoads.at(-1)!;
      const browserMs = browserRuns.map((r) => r.totalMs);
      const phasesMedianMs = Object.fromEntries(PHASES.map(([p]) => [p, median(browserRuns.map((r) => r.phasesMs[p]))])) as Record<Phase, number>;
      const cpu = cpus();
      const report: AppReport = {
        generatedBy: `npm run bench:app${runsArg ? ` -- ${runsArg}` : ""}`,
        date: new Date().toISOString(),
        machine: { cpu: cpu[0]?.model.trim() ?? "unknown", cores: cpu.length, memoryGiB: totalmem() / 2 ** 30, node: process.version, platform: `${platform()} ${release()}`, chromium: `Chromium ${browser.version()}` },
        loadAverage,
        runs: RUNS,
        firstLoad: {
          targetGzipKiB: FIRST_LOAD_TARGET_KIB,
          medianMs: median(firstLoads.map((f) => f.ms)),
          runsMs: firstLoads.map((f) => f.ms),
          scriptGzipBytes: last.scriptGzipBytes,
          scriptBytes: last.scriptBytes,
          scripts: [...last.scripts],
          wasm: [...last.wasm],
          heavyLibraries: [...new Set(firstLoads.flatMap((f) => f.heavyLibraries))],
          sameBytesEveryRun: new Set(firstLoads.map((f) => f.scriptGzipBytes)).size === 1,
          pass: firstLoads.every((f) => f.scriptGzipBytes <= FIRST_LOAD_TARGET_KIB * 1024 && f.heavyLibraries.length === 0 && f.wasm.length === 0),
        },
        testDrive: {
          samples: SAMPLES,
          targetSeconds: TEST_DRIVE_TARGET_S,
          browser: { runsMs: browserMs, medianMs: median(browserMs), phasesMedianMs, phasesRunsMs: browserRuns.map((r) => r.phasesMs), correct: browserRuns.map((r) => r.correct) },
          cli: { runsMs: cliRuns, medianMs: median(cliRuns) },
          ratioToCli: median(browserMs) / median(cliRuns),
          pass: median(browserMs) <= TEST_DRIVE_TARGET_S * 1000,
        },
      };
      writeReport(report);
      const pass = report.firstLoad.pass && report.testDrive.pass;
      log(pass ? "PASS" : "FAIL");
      if (!pass) process.exitCode = 1;
    } finally {
      await site.close();
    }
  } finally {
    await browser.close();
    const code = await stack.stop();
    rmSync(work, { recursive: true, force: true });
    if (code !== 0) throw new Error(`npm start exited with ${code}:\n${stack.output()}`);
  }
}

if (process.argv.includes("--render")) writeReport(JSON.parse(readFileSync(join(DOCS, "app.json"), "utf8")) as AppReport);
else await main();
