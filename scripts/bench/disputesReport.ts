/**
 * The Markdown of `npm run bench:disputes` (docs/benchmarks/disputes.md), from the JSON report
 * the benchmark writes beside it.
 */
import { OPEN_SLOT_CHOICES, LIE_FRACTIONS, type CatchSimulation, type GainTables } from "./disputesOdds.ts";
import type { ProvingRow } from "./disputesProving.ts";
import type { RealFlow } from "./disputesRealFlow.ts";

export interface SimulationRow {
  lies: number;
  fraction: number;
  shortfallBps: number;
  refundEth: number;
  disputes: number;
  contested: number;
  caught: number;
  catchRate: number;
  analyticCatch: number;
  catchStandardError: number;
  meanPayoffEth: number;
  payoffStandardError: number;
  analyticGainEth: number;
  samplesRevealed: Record<string, number[]>;
}

export interface StandInOpening {
  model: string;
  featureCount: number;
  gas: number;
  calldataBytes: number;
}

export interface DisputesReport {
  generatedBy: string;
  date: string;
  quick: boolean;
  machine: { cpu: string; cores: number; memoryGiB: number; node: string; platform: string };
  loadAverage: Record<string, number[]>;
  terms: Record<string, string | number>;
  catchOdds: CatchSimulation;
  gains: GainTables;
  simulation: {
    sampleCount: number;
    claimedAccuracyBps: number;
    honestCorrect: number;
    trialsPerLieCount: number;
    seed: number;
    seconds: number;
    rows: SimulationRow[];
    standInGasMedians: Record<string, number | undefined>;
  };
  gas: {
    realFlows: RealFlow[];
    notMeasured: { what: string; reason: string }[];
    standInOpenings: StandInOpening[];
  };
  proving: ProvingRow[];
  samplesRevealed: { outcome: string; samples: number; source: string }[];
  notes: string[];
}

const fmt = (x: number | undefined, digits = 3): string => (x === undefined || Number.isNaN(x) ? "-" : x.toFixed(digits));
const signed = (x: number, digits = 3): string => (x >= 0 ? `+${x.toFixed(digits)}` : `−${(-x).toFixed(digits)}`);
const int = (x: number | undefined): string => (x === undefined ? "-" : x.toLocaleString("en-US"));
const mib = (bytes: number | undefined): string => (bytes === undefined ? "-" : `${(bytes / 2 ** 20).toFixed(1)} MiB`);

/** The design's estimates (docs/DISPUTES.md §7, "Gas (estimates …)"), to set the measurements against. */
export const GAS_ESTIMATES: Record<string, Record<string, number>> = {
  "iris-logreg": { claimRefund: 330_000, contest: 60_000, openSamples: 330_000, proveMismatch: 320_000, closeDispute: 60_000 },
  "mnist-logreg": { claimRefund: 330_000, contest: 60_000, openSamples: 750_000, proveMismatch: 660_000, closeDispute: 60_000 },
};
const estimateFor = (model: string, step: string): number | undefined => GAS_ESTIMATES[model]?.[step.split(" ")[0]!];

function catchTable(c: CatchSimulation): string {
  const header = `| f (m of ${c.sampleCount}) | ${OPEN_SLOT_CHOICES.map((k) => `k = ${k}${k === 16 ? " (SDK draw)" : ""}`).join(" | ")} |`;
  const rows = LIE_FRACTIONS.map((f) => {
    const cells = OPEN_SLOT_CHOICES.map((k) => {
      const cell = c.cells.find((x) => x.fraction === f.label && x.openSlots === k)!;
      const z = cell.z === undefined ? "" : ` (z ${signed(cell.z, 1)})`;
      return `${fmt(cell.analytic, 4)} / ${fmt(cell.simulated, 4)} ± ${fmt(cell.standardError, 4)}${z}`;
    });
    const m = c.cells.find((x) => x.fraction === f.label)!.lies;
    return `| ${f.label} (${m}) | ${cells.join(" | ")} |`;
  });
  return [header, `|---|${OPEN_SLOT_CHOICES.map(() => "---:").join("|")}|`, ...rows].join("\n");
}

function gainTable(g: GainTables): string {
  const header = `| f (m of ${g.sampleCount}) | s (bps) | R (ETH) | ${OPEN_SLOT_CHOICES.map((k) => `k = ${k}: G ETH (P)`).join(" | ")} |`;
  const rows = LIE_FRACTIONS.map((f) => {
    const cells = OPEN_SLOT_CHOICES.map((k) => g.cells.find((x) => x.fraction === f.label && x.openSlots === k)!);
    const first = cells[0]!;
    const shown = cells.map((cell) => {
      const gain = cell.gainEth >= 0 ? `**${signed(cell.gainEth)}**` : signed(cell.gainEth);
      return `${gain} (${fmt(cell.catchProbability)})${cell.contested ? "" : " not contested"}`;
    });
    return `| ${f.label} (${first.lies}) | ${int(first.shortfallBps)} | ${fmt(Number(first.refundWei) / 1e18)} | ${shown.join(" | ")} |`;
  });
  return [header, `|---|---:|---:|${OPEN_SLOT_CHOICES.map(() => "---:").join("|")}|`, ...rows].join("\n");
}

function worstTable(g: GainTables, terms: DisputesReport["terms"]): string {
  const rows = g.worstCases.map(
    (w) => `| ${w.openSlots} | ${signed(w.gainEth, 4)} | ${w.sampleCount} | ${w.lies} | ${fmt(w.catchProbability, 4)} | ${w.gainEth < 0 ? "loses" : "**profits**"} |`,
  );
  return [
    `| k | max G over n ∈ [${terms.minSamples}, ${terms.maxSamples}], every m (ETH) | at n | at m | P there | |`,
    "|---:|---:|---:|---:|---:|---|",
    ...rows,
  ].join("\n");
}

function simulationTable(s: DisputesReport["simulation"]): string {
  const rows = s.rows.map(
    (r) =>
      `| ${r.lies} (${fmt(100 * r.fraction, 1)}%) | ${int(r.shortfallBps)} | ${fmt(r.refundEth)} | ${r.disputes} | ${r.contested} | ${r.caught} | ${fmt(r.catchRate)} ± ${fmt(r.catchStandardError)} | ${fmt(r.analyticCatch)} | ${signed(r.meanPayoffEth)} ± ${fmt(r.payoffStandardError)} | ${signed(r.analyticGainEth)} |`,
  );
  return [
    "| m lies (f) | s (bps) | R (ETH) | disputes | contested | caught | catch rate ± SE (binomial, at the analytic P) | analytic P | buyer's mean payoff ± SE (ETH) | analytic G (ETH) |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows,
  ].join("\n");
}

function realGasTable(flows: RealFlow[]): string {
  const models = [...new Set(flows.map((f) => f.model))];
  const steps = [...new Set(flows.flatMap((f) => f.steps.map((s) => s.step)))];
  const header = `| step | ${models.map((m) => `${m}: gas (calldata bytes)`).join(" | ")} | design estimate (§7) | measured / estimate | proof (SDK action, s) |`;
  const rows = steps.map((step) => {
    const cells = models.map((model) => {
      const s = flows.filter((f) => f.model === model).flatMap((f) => f.steps).find((x) => x.step === step);
      return s === undefined ? "-" : `${int(s.gas)} (${int(s.calldataBytes)})`;
    });
    const ratios = models.map((model) => {
      const s = flows.filter((f) => f.model === model).flatMap((f) => f.steps).find((x) => x.step === step);
      const e = estimateFor(model, step);
      return s === undefined || e === undefined ? undefined : `${(s.gas / e).toFixed(2)}${models.length > 1 ? ` (${model.split("-")[0]})` : ""}`;
    });
    const estimates = [...new Set(models.map((model) => estimateFor(model, step)).filter((e) => e !== undefined))].map(int);
    const proofs = models
      .map((model) => flows.filter((f) => f.model === model).flatMap((f) => f.steps).find((x) => x.step === step))
      .filter((s) => s?.proveSeconds !== undefined)
      .map((s) => `${s!.circuit} ${fmt(s!.proveSeconds, 1)}`);
    return `| ${step} | ${cells.join(" | ")} | ${estimates.join(" / ") || "-"} | ${ratios.filter(Boolean).join(", ") || "-"} | ${proofs.join(", ") || "-"} |`;
  });
  return [header, `|---|${models.map(() => "---:").join("|")}|---:|---:|---|`, ...rows].join("\n");
}

function provingTable(rows: ProvingRow[]): string {
  const lines = rows.map((r) =>
    r.measured
      ? `| ${r.circuit} | ${int(r.constraints)} | 2^${r.ptauPower} | ${r.publicSignals} | ${mib(r.wasmBytes)} | ${mib(r.zkeyBytes)} | ${fmt(r.witnessSeconds, 2)} | ${fmt(r.proveSeconds, 2)} | ${fmt(r.totalSeconds, 2)} (${fmt(r.totalRangeSeconds?.[0], 2)}–${fmt(r.totalRangeSeconds?.[1], 2)}) | ×${fmt(r.toBaseline, 2)} |`
      : `| ${r.circuit} | ${int(r.constraints)} | ${r.ptauPower === undefined ? "-" : `2^${r.ptauPower}`} | ${r.publicSignals ?? "-"} | ${mib(r.wasmBytes)} | ${mib(r.zkeyBytes)} | not measured: ${r.reason} | | | |`,
  );
  return [
    "| circuit | constraints | ptau | public signals | wasm | zkey | witness s | prove s | witness + prove s (fastest–slowest run) | × refund_256 |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...lines,
  ].join("\n");
}

/** The headline numbers, one line per section. */
function summary(r: DisputesReport, verdict: string): string {
  const live = r.catchOdds.cells.filter((c) => c.z !== undefined);
  const maxZ = Math.max(...live.map((c) => Math.abs(c.z!)));
  const sim = r.simulation.rows
    .map((x) => `m = ${x.lies}: caught ${x.caught}/${x.contested} (P ${fmt(x.analyticCatch)}), mean payoff ${signed(x.meanPayoffEth)} ± ${fmt(x.payoffStandardError)} ETH (G ${signed(x.analyticGainEth)})`)
    .join("; ");
  const step = (model: string, name: string) => r.gas.realFlows.filter((f) => f.model === model).flatMap((f) => f.steps).find((x) => x.step === name)?.gas;
  const both = (name: string) => {
    const [a, b] = [step("iris-logreg", name), step("mnist-logreg", name)];
    return b === undefined ? int(a) : `${int(a)} / ${int(b)}`;
  };
  const closes = r.gas.realFlows.flatMap((f) => f.steps).filter((x) => x.step.startsWith("closeDispute")).map((x) => x.gas);
  const base = r.proving.find((p) => p.circuit === "refund_256");
  const proving = r.proving
    .filter((p) => p.measured)
    .map((p) => `${p.circuit} ${fmt(p.totalSeconds, 2)} s${p.circuit === "refund_256" ? "" : ` (×${fmt(p.toBaseline, 2)})`}`)
    .join(", ");
  const lines = [
    verdict,
    `Catch probability (n = ${r.catchOdds.sampleCount}, ${int(r.catchOdds.trials)} trials per cell): the simulated rate agrees with the analytic one in every cell (largest |z| ${fmt(maxZ, 1)} over the ${live.length} cells with 0 < P < 1).`,
    `Repeated disputes against the contracts (n = ${r.simulation.sampleCount}, ${r.simulation.trialsPerLieCount} per m): ${sim}.`,
  ];
  if (r.gas.realFlows.length > 0) {
    lines.push(
      `Gas with the real verifiers (iris-logreg${step("mnist-logreg", "claimRefund") === undefined ? "" : " / mnist-logreg"}): claimRefund ${both("claimRefund")}, contest ${both("contest")}, openSamples ${both("openSamples")}, proveMismatch ${both("proveMismatch")}, closeDispute ${int(Math.min(...closes))}–${int(Math.max(...closes))}; every step is above the §7 estimate (table in §4).`,
    );
  }
  if (base?.measured) lines.push(`Proving (witness + proof, Node, median): ${proving}.`);
  lines.push("Samples revealed: 0 when the claim is not contested or the buyer does not open; 16 (k_eff = min(16, n)) once the buyer opens.");
  return lines.map((l) => `- ${l}`).join("\n");
}

export function renderMarkdown(r: DisputesReport, command: string): string {
  const c = r.catchOdds;
  const g = r.gains;
  const s = r.simulation;
  const worst16 = g.worstCases.find((w) => w.openSlots === 16)!;
  const verdict = g.pass
    ? `**PASS**: at k = 16 every dishonest dispute loses money: every f at n = ${g.sampleCount}, and the worst case over n ∈ [${r.terms.minSamples}, ${r.terms.maxSamples}] and every m is ${signed(worst16.gainEth, 4)} ETH (n = ${worst16.sampleCount}, m = ${worst16.lies}).`
    : `**FAIL**: at k = 16 some dishonest dispute gains: the worst case over n ∈ [${r.terms.minSamples}, ${r.terms.maxSamples}] is ${signed(worst16.gainEth, 4)} ETH (n = ${worst16.sampleCount}, m = ${worst16.lies}).`;
  const iris = r.gas.realFlows.filter((f) => f.model === "iris-logreg").flatMap((f) => f.steps);
  const irisOpen = iris.find((x) => x.step === "openSamples");
  const standIris = r.gas.standInOpenings.find((o) => o.model === "iris-logreg");
  const standMnist = r.gas.standInOpenings.find((o) => o.model === "mnist-logreg");
  const mnistOpen = r.gas.realFlows.filter((f) => f.model === "mnist-logreg").flatMap((f) => f.steps).find((x) => x.step === "openSamples");
  const load = Object.entries(r.loadAverage)
    .map(([k, v]) => `${k} ${v.map((x) => x.toFixed(2)).join(", ")}`)
    .join("; ");
  return `# Refund-dispute benchmark (v2, as built)

Generated by \`${command}\` on ${r.date}${r.quick ? " — **quick run: fewer trials, one proof per circuit, no 784×10 proof; not the reference numbers**" : ""}.
Machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB.toFixed(0)} GiB, Node ${r.machine.node} (${r.machine.platform}); shared, so times drift with load:
load average (1, 5, 15 min) ${load}. Every number below was measured or computed in this run; ratios
are against a baseline of the same run. Sources: scripts/bench/disputes.ts (and disputesOdds.ts,
disputesChain.ts, disputesRealFlow.ts, disputesProving.ts); raw numbers in disputes.json. This is
the one proving benchmark: it measures every circuit the market uses (bench:zk, which measured the
removed v1 dispute circuit, is gone).

Terms (docs/DISPUTES.md §4.2): scripts/lib/exampleListing.ts EXAMPLE_POLICY (D = ${r.terms.depositEth} ETH, ${r.terms.feePerExtraSampleEth} ETH per sample,
${r.terms.freeSamples} free) with the default contestable policy of sdk/src/disputes/contestablePolicy.ts: w = ${int(Number(r.terms.refundSlopeBps))} bps,
B_b = ${r.terms.buyerBondEth} ETH (D/2), B_s = ${r.terms.sellerBondEth} ETH (D/50); contestable listings accept n ∈ [${r.terms.minSamples}, ${r.terms.maxSamples}]. A contest opens k_eff = min(k, n) samples (the market's k = 16).

## Summary

${summary(r, verdict)}

## 1. Catch probability (n = ${c.sampleCount})

P(a lie is opened) for a buyer lying on m = ⌈f·n⌉ predictions: analytic (exact hypergeometric,
sdk/src/disputes/disputeEconomics.ts \`catchProbability\`) / simulated ± binomial standard error
(from the analytic P), z = (simulated − analytic)/SE. **${int(c.trials)} trials per cell** (fixed bench seed ${c.seed}; ${fmt(c.seconds, 1)} s):
each trial draws the indices exactly as \`RefundDisputes.openSamples\` does from a fresh seed
(draw t = keccak256(abi.encode(seed, t)) mod n, duplicates skipped; for k = 16 the SDK's
\`challengeIndices\` itself, for k ≠ 16 the same procedure with k slots, scripts/bench/disputesOdds.ts)
and a random set of m lies. The generalised draw's first 16 differed from the SDK's in
${c.sdkMismatches} of ${int(c.trials)} trials.

${catchTable(c)}

## 2. Expected gain of a dishonest dispute (n = ${g.sampleCount})

G relative to walking away, exact (\`dishonestGain\`; gas excluded), for a model exactly at its
claim (every lie adds to the shortfall, s = ⌈10,000·m/n⌉): the seller contests when R ≥ F_free/2
(F_free = ${r.terms.freeSamplesFeeEthAtN} ETH at n = ${g.sampleCount}); **bold** = the lie pays.

${gainTable(g)}

\`worstCaseGain\`: the largest G over every n in [${r.terms.minSamples}, ${r.terms.maxSamples}] and every lie count m, per k (${fmt(g.seconds, 1)} s):

${worstTable(g, r.terms)}

${verdict}

## 3. Repeated disputes against the contracts (stand-in verifier)

${s.trialsPerLieCount} disputes per lie count on the real \`ModelMarket\` + \`RefundDisputes\` on Hardhat's in-process
network, with contracts/mocks/AnySignalsVerifier.sol for every circuit (scripts/lib/disputesConfig.ts
\`standInDisputesConfig\`: a "proof" is bound to the exact public signals the SDK computes, so the
packing, the draw, the payouts and the calldata are the contract's; only the pairing is stood in).
A listing of the example task (4 features, 3 classes) under the terms above; a test set of
n = ${s.sampleCount} on which the model is right on ${s.honestCorrect} (${fmt((100 * s.honestCorrect) / s.sampleCount, 2)}%) against a claim of ${fmt(s.claimedAccuracyBps / 100, 2)}%, 1 bps
above, so the honest predictions prove nothing and m lies prove exactly s = ⌈10,000·m/n⌉. Each
dispute starts from the same chain snapshot with a fresh random salt (hence buyer secret), a
random seller secret and m lies on random right predictions (seed ${s.seed}). The seller contests
by the worker's policy (R ≥ F_free/2: every claim here), reads the opening from the
\`SamplesOpened\` event, runs its model on the opened features and calls \`proveMismatch\` on the
first opened prediction that disagrees; otherwise the buyer wins at the end of the prove window.
Payoff = the buyer's \`owed\` balance in the market after the dispute − the claim's stake
(B_b + F_free), i.e. relative to walking away; SE = sample standard deviation / √disputes.
${fmt(s.seconds, 0)} s for all disputes.

${simulationTable(s)}

## 4. Gas of every new step

### Real verifiers

The shipped market (test/helpers/shippedMarket.ts \`deployShippedMarket\`: RefundVerifier256/1024,
OpenVerifier256/1024 and the three contest verifiers of contracts/verifiers/) with real Groth16 proofs
from the SDK's actions (proveGradedRefund → refund_256, proveSampleOpening → open_256, proveContest →
the listing's contest circuit), as test/zk/contestedRefund.test.ts drives it; n = ${r.gas.realFlows[0]?.sampleCount ?? "-"} samples
(Iris: the first 64 training flowers, 12-bit features; MNIST: the first 64 test images, 10-bit
features), the liar lies on 20 predictions and is caught on an opened one; the honest buyer claims
against a 99% claim and each timeout ending is measured from one snapshot after its claim. Gas is
\`gasUsed\` of the receipt (21,000 base and calldata included); each is the first dispute of a
fresh deployment (zero \`owed\` balances, so the settlements' first credits are cold stores).
The last column is the SDK action's witness + proof time in this run (Node).

${r.gas.realFlows.length > 0 ? realGasTable(r.gas.realFlows) : "Not measured."}
${r.gas.notMeasured.map((n) => `\n*Not measured: ${n.what} — ${n.reason}.*`).join("")}

### MNIST-size openings (784 features), stand-in Open proof

\`openSamples\` of 16 samples with the **Open proof stood in** (AnySignalsVerifier) and **real-size
calldata** (the opened samples' real feature bytes: 2 per feature, big-endian), on the same test sets:

| model | features | openSamples gas (stand-in Open) | calldata bytes |${irisOpen ? " openSamples gas, real Open verifier (table above) |" : ""}
|---|---:|---:|---:|${irisOpen ? "---:|" : ""}
${r.gas.standInOpenings
  .map((o) => {
    const real = o.model === "iris-logreg" ? irisOpen : mnistOpen;
    return `| ${o.model} | ${o.featureCount} | ${int(o.gas)} | ${int(o.calldataBytes)} |${irisOpen ? ` ${real ? int(real.gas) : "-"} |` : ""}`;
  })
  .join("\n")}

${standIris && standMnist ? `784 features cost ×${(standMnist.gas / standIris.gas).toFixed(2)} the 4-feature opening's gas (calldata ×${(standMnist.calldataBytes / standIris.calldataBytes).toFixed(1)}).` : ""}${irisOpen && standIris ? ` Replacing the stand-in by the real Open(256, 16) verifier adds ${int(irisOpen.gas - standIris.gas)} gas to the Iris opening (×${(irisOpen.gas / standIris.gas).toFixed(2)}); added to the stood-in MNIST opening that predicts ${int(standMnist ? standMnist.gas + irisOpen.gas - standIris.gas : undefined)} for a real one${mnistOpen ? ` (measured with the real verifier above: ${int(mnistOpen.gas)})` : ""}.` : ""}

Stand-in gas in the repeated disputes of §3 (medians; the verifier's pairing excluded): ${Object.entries(s.standInGasMedians)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} ${int(v)}`)
    .join(", ")}.

## 5. Proving time and key size

Witness and Groth16 proof in Node (snarkjs 0.7.6), median of ${r.proving.find((p) => p.runs !== undefined)?.runs ?? "-"} runs each, taken round-robin over the
circuits (run 1 of each, then run 2, …) so that the machine's changing load falls on all alike; from a valid SDK input
(Refund and Open: a full test set, n = N; contests: a true mismatch on a real sample of the shipped
model); sizes and constraints from circuits/artifacts/transcript.json. The ratio is the
witness + proof time relative to refund_256's in this run.

${provingTable(r.proving)}

## 6. Samples revealed, by outcome

| outcome | samples made public | where measured |
|---|---:|---|
${r.samplesRevealed.map((x) => `| ${x.outcome} | ${x.samples} | ${x.source} |`).join("\n")}

The rule: none unless contested; a contest opens k_eff = min(16, n) = 16 samples (features,
label, prediction, σ) for every contestable test set (n ≥ ${r.terms.minSamples}), whatever the outcome.
${r.notes.length > 0 ? `\n## Notes\n\n${r.notes.map((n) => `- ${n}`).join("\n")}\n` : ""}`;
}
