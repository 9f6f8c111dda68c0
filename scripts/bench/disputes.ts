/**
 * Refund-dispute benchmark: `npm run bench:disputes [-- --quick]` (`hardhat build`, then
 * `node scripts/bench/disputes.ts`: Hardhat's in-process network through `import "hardhat"`, and
 * plain node so that `--quick` reaches the script, which `hardhat run` refuses as an unknown
 * option; BENCH_QUICK=1 also selects the quick run). Build-plan step 17 of docs/DISPUTES.md,
 * measuring the v2 refund dispute as built:
 *
 * 1. the catch probability on the f × k grid at n = 200, analytic and simulated with the
 *    contract's draw (disputesOdds.ts);
 * 2. the expected gain of a dishonest dispute on the same grid, and the worst case over every
 *    contestable n, with a PASS/FAIL line for k = 16 (disputesOdds.ts);
 * 3. repeated disputes of a lying buyer against the real contracts over the stand-in verifier,
 *    with the empirical catch rate and the buyer's mean payoff (disputesChain.ts);
 * 4. the gas of claimRefund, contest, openSamples, proveMismatch and closeDispute with the real
 *    verifiers and real proofs, and MNIST-size openings with a stand-in Open proof
 *    (disputesRealFlow.ts, disputesChain.ts);
 * 5. witness + proving time, constraints and key sizes of every v2 circuit (disputesProving.ts);
 * 6. the samples each outcome reveals.
 *
 * Writes docs/benchmarks/disputes.json and docs/benchmarks/disputes.md and prints the Markdown.
 * `--quick` is a smoke run: fewer trials and disputes, one proof per circuit, and no proof of
 * the 784×10 contest circuit (so no real MNIST flow). Exits non-zero if a step fails; a FAIL of
 * the economics check is reported, not thrown.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { cpus, loadavg, platform, release, totalmem } from "node:os";
import { join } from "node:path";
import { catchProbability, dishonestGain, type DisputeEconomicsTerms } from "@modelbazaar/sdk/disputes";
import { refundShares } from "@modelbazaar/sdk/testDrives";
import { connectMarket } from "../../test/helpers/market.ts";
import { EXAMPLE_POLICY } from "../lib/exampleListing.ts";
import { ROOT } from "../zk/compile.ts";
import { simulateDishonestDisputes, standInOpeningGas } from "./disputesChain.ts";
import { gainTables, simulateCatch } from "./disputesOdds.ts";
import { V2_CIRCUITS, measureCircuits, withRatios } from "./disputesProving.ts";
import { honestFlow, liarFlow, loadModelCase, type RealFlow } from "./disputesRealFlow.ts";
import { renderMarkdown, type DisputesReport, type SimulationRow, type StandInOpening } from "./disputesReport.ts";

const QUICK = process.argv.includes("--quick") || process.env.BENCH_QUICK === "1";
/** Trials per cell of the catch-probability grid. */
const CATCH_TRIALS = QUICK ? 2_000 : 100_000;
/** Repeated disputes per lie count against the contracts. */
const DISPUTES_PER_LIE_COUNT = QUICK ? 4 : 100;
const PROVE_RUNS = QUICK ? 1 : 3;
const GRID_SAMPLES = 200;
const SIMULATION_SAMPLES = 64;
const SIMULATION_LIES = [1, 4, 16];
const BENCH_SEED = 20_261_207;

const eth = (wei: bigint): number => Number(wei) / 1e18;
const ethText = (wei: bigint): string => (Number(wei) / 1e18).toString();
const loads = (): number[] => loadavg().map((x) => Number(x.toFixed(2)));
const log = (line: string): void => console.log(`bench:disputes: ${line}`);
const median = (xs: readonly number[]): number | undefined => (xs.length === 0 ? undefined : [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]);

function meanAndError(xs: readonly number[]): [number, number] {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (xs.length < 2) return [mean, Number.NaN];
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1);
  return [mean, Math.sqrt(variance / xs.length)];
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadAverage: Record<string, number[]> = { start: loads() };
  const notes: string[] = [];

  log("loading the shipped models (iris-logreg, mnist-logreg)...");
  const iris = await loadModelCase("iris-logreg");
  const mnist = await loadModelCase("mnist-logreg");
  const policy = iris.policy; // contestableDisputePolicy's defaults: w, B_b = D/2, B_s = D/50
  if (mnist.policy.buyerBond !== policy.buyerBond || mnist.policy.sellerBond !== policy.sellerBond || mnist.policy.refundSlopeBps !== policy.refundSlopeBps) {
    throw new Error("the two models' default policies differ in w or bonds");
  }
  const terms: DisputeEconomicsTerms = {
    deposit: EXAMPLE_POLICY.deposit,
    feePerExtraSample: EXAMPLE_POLICY.feePerExtraSample,
    freeSamples: EXAMPLE_POLICY.freeSamples,
    minSamples: 32, // contestable listings (the registry's floor, docs/DISPUTES.md §4.1)
    maxSamples: EXAMPLE_POLICY.maxSamples,
    refundSlopeBps: policy.refundSlopeBps,
    buyerBond: policy.buyerBond,
    sellerBond: policy.sellerBond,
  };

  // 1–2. Catch probability and gains.
  log(`catch probability: ${CATCH_TRIALS} trials per cell at n = ${GRID_SAMPLES}...`);
  const catchOdds = simulateCatch(GRID_SAMPLES, CATCH_TRIALS, BENCH_SEED);
  if (catchOdds.sdkMismatches !== 0) throw new Error(`the generalised draw disagreed with the SDK's challengeIndices in ${catchOdds.sdkMismatches} trials`);
  log("gains and worst cases...");
  const gains = gainTables(terms, GRID_SAMPLES);
  console.log(gains.pass ? "bench:disputes: PASS: every dishonest dispute loses money at k = 16" : "bench:disputes: FAIL: a dishonest dispute gains at k = 16");
  loadAverage.afterOdds = loads();

  // 3. Repeated disputes against the contracts (stand-in verifier), and the stand-in openings.
  log(`${DISPUTES_PER_LIE_COUNT} disputes per lie count (m = ${SIMULATION_LIES.join(", ")} of ${SIMULATION_SAMPLES}) on the stand-in market...`);
  const standIn = await connectMarket();
  const sim = await simulateDishonestDisputes(standIn, { sampleCount: SIMULATION_SAMPLES, lies: SIMULATION_LIES, trials: DISPUTES_PER_LIE_COUNT, seed: BENCH_SEED, policy });
  const simTerms = { ...terms };
  const rows: SimulationRow[] = SIMULATION_LIES.map((lies) => {
    const ds = sim.disputes.filter((d) => d.lies === lies);
    const contested = ds.filter((d) => d.outcome !== "uncontested");
    const caught = ds.filter((d) => d.outcome === "caught").length;
    const analyticCatch = catchProbability(SIMULATION_SAMPLES, lies);
    const [meanPayoffEth, payoffStandardError] = meanAndError(ds.map((d) => eth(d.payoffWei)));
    const shortfall = sim.shortfalls.find((x) => x.lies === lies)!;
    const samplesRevealed: Record<string, number[]> = {};
    for (const d of ds) samplesRevealed[d.outcome] = [...new Set([...(samplesRevealed[d.outcome] ?? []), d.samplesRevealed])];
    return {
      lies,
      fraction: lies / SIMULATION_SAMPLES,
      shortfallBps: shortfall.shortfallBps,
      refundEth: eth(BigInt(shortfall.refundWei)),
      disputes: ds.length,
      contested: contested.length,
      caught,
      catchRate: contested.length === 0 ? Number.NaN : caught / contested.length,
      analyticCatch,
      catchStandardError: Math.sqrt((analyticCatch * (1 - analyticCatch)) / Math.max(1, contested.length)),
      meanPayoffEth,
      payoffStandardError,
      analyticGainEth: eth(dishonestGain(simTerms, SIMULATION_SAMPLES, lies)),
      samplesRevealed,
    };
  });
  log("stand-in openings of 4 and 784 features...");
  const standInOpenings: StandInOpening[] = [];
  for (const mc of [iris, mnist]) {
    const o = await standInOpeningGas(standIn, mc.task, mc.quantized, mc.labels, mc.honest, policy);
    standInOpenings.push({ model: mc.model, featureCount: o.featureCount, gas: o.openSamples.gas, calldataBytes: o.openSamples.calldataBytes });
  }
  loadAverage.afterSimulation = loads();

  // 4. Real verifiers.
  const realFlows: RealFlow[] = [];
  const notMeasured: { what: string; reason: string }[] = [];
  const real = await connectMarket();
  for (const [what, run] of [
    ["iris-logreg, lying buyer caught", () => liarFlow(real, iris)],
    ["iris-logreg, honest buyer, each timeout ending", () => honestFlow(real, iris)],
    ["mnist-logreg, lying buyer caught", QUICK ? undefined : () => liarFlow(real, mnist)],
  ] as const) {
    if (run === undefined) {
      notMeasured.push({ what, reason: "skipped by --quick (it proves the 784×10 contest circuit)" });
      continue;
    }
    log(`real verifiers: ${what}...`);
    try {
      realFlows.push(await run());
    } catch (error) {
      const reason = error instanceof Error ? error.message.split("\n")[0]! : String(error);
      log(`NOT MEASURED: ${what}: ${reason}`);
      notMeasured.push({ what, reason });
    }
  }
  loadAverage.afterGas = loads();

  // 5. Proving.
  const proving = await measureCircuits(V2_CIRCUITS, PROVE_RUNS, (circuit) => (QUICK && circuit === "contest_linear_784x10" ? "skipped by --quick" : undefined), log);
  loadAverage.end = loads();

  // 6. Samples revealed.
  const samplesRevealed: DisputesReport["samplesRevealed"] = [];
  for (const flow of realFlows) {
    for (const x of flow.samplesRevealed) samplesRevealed.push({ ...x, source: `real verifiers, ${flow.model}, n = ${flow.sampleCount}` });
  }
  for (const outcome of ["uncontested", "caught", "escaped"] as const) {
    const ended = sim.disputes.filter((d) => d.outcome === outcome);
    if (ended.length === 0) continue;
    const counts = [...new Set(ended.map((d) => d.samplesRevealed))];
    const label = outcome === "caught" ? "contested, caught" : outcome === "escaped" ? "contested, opened, no lie drawn (buyer refunded)" : "uncontested";
    samplesRevealed.push({
      outcome: label,
      samples: counts.length === 1 ? counts[0]! : Number.NaN,
      source: `stand-in disputes of §3, n = ${SIMULATION_SAMPLES}: all ${ended.length} that ended so${counts.length === 1 ? "" : ` (counts ${counts.join(", ")})`}`,
    });
  }
  if (rows.every((r) => r.contested === r.disputes)) notes.push(`No claim of §3 went uncontested: R ≥ F_free/2 for every m there (F_free = ${ethText(refundShares(terms, SIMULATION_SAMPLES).freeSamplesFee)} ETH at n = ${SIMULATION_SAMPLES}).`);

  const cpu = cpus();
  const report: DisputesReport = {
    generatedBy: `npm run bench:disputes${QUICK ? " -- --quick" : ""}`,
    date: new Date().toISOString(),
    quick: QUICK,
    machine: { cpu: cpu[0]?.model.trim() ?? "unknown", cores: cpu.length, memoryGiB: totalmem() / 2 ** 30, node: process.version, platform: `${platform()} ${release()}` },
    loadAverage,
    terms: {
      depositEth: ethText(terms.deposit),
      feePerExtraSampleEth: ethText(terms.feePerExtraSample),
      freeSamples: terms.freeSamples,
      minSamples: terms.minSamples,
      maxSamples: terms.maxSamples,
      refundSlopeBps: terms.refundSlopeBps,
      buyerBondEth: ethText(terms.buyerBond),
      sellerBondEth: ethText(terms.sellerBond),
      freeSamplesFeeEthAtN: ethText(refundShares(terms, GRID_SAMPLES).freeSamplesFee),
    },
    catchOdds,
    gains,
    simulation: {
      sampleCount: sim.sampleCount,
      claimedAccuracyBps: sim.claimedAccuracyBps,
      honestCorrect: sim.honestCorrect,
      trialsPerLieCount: sim.trials,
      seed: sim.seed,
      seconds: sim.seconds,
      rows,
      standInGasMedians: Object.fromEntries(Object.entries(sim.gas).map(([k, v]) => [k, median(v)])),
    },
    gas: { realFlows, notMeasured, standInOpenings },
    proving: withRatios(proving),
    samplesRevealed,
    notes,
  };
  notes.push(`Whole run: ${((performance.now() - started) / 1000).toFixed(0)} s.`);
  const docs = join(ROOT, "docs", "benchmarks");
  await mkdir(docs, { recursive: true });
  await writeFile(join(docs, "disputes.json"), JSON.stringify(report, (_, v) => (typeof v === "bigint" ? v.toString() : v), 2) + "\n");
  const md = renderMarkdown(report, report.generatedBy);
  await writeFile(join(docs, "disputes.md"), md);
  console.log(md);
  console.log(gains.pass ? "bench:disputes: PASS" : "bench:disputes: FAIL");
  if (notMeasured.length > 0 && !QUICK) process.exitCode = 1;
}

await main();
