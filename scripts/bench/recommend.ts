/**
 * `npm run bench:recommend`: what the private recommender costs a buyer's device and the
 * aggregator (issue #16), each the median of 5 runs, as milliseconds and as a multiple of a
 * fixed baseline measured in the same run (10⁷ multiply-adds over a Float64Array), since the
 * machine is shared: learning the market's public item factors at the study's size (943 buyers,
 * 1,682 listings, the public test-drives and purchases of scripts/study/recommendationData.ts),
 * one participation contribution at the aggregator's default size, masking it for rosters of 3
 * to 1,024 (n − 1 pair masks of x25519 and ChaCha20), the aggregator's decode and step, and the
 * bytes a buyer sends a round. Writes docs/benchmarks/recommend.{md,json}.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  applyUpdateSum,
  contributionLength,
  decodeFixedPointSum,
  encodeFixedPoint,
  enrolmentBody,
  maskContribution,
  maskedUploadBody,
  participationContribution,
  publicItemFactors,
  randomClientId,
  randomItemFactors,
  secureRoundKeyPair,
  seededRandom,
  type RosterMember,
} from "@modelbazaar/sdk/recommend";
import { AGGREGATOR_DEFAULTS } from "../../aggregator/src/aggregatorConfig.ts";
import { MOVIELENS_SHAPE, syntheticMarket } from "../study/recommendationData.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
const DOCS = join(ROOT, "docs/benchmarks");
const RUNS = 5;

interface Measurement {
  readonly what: string;
  readonly milliseconds: number;
  /** milliseconds over the baseline's, both medians of this run. */
  readonly baselines: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timed(work: () => unknown): number {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }
  return median(times);
}

/** The baseline: 10⁷ multiply-adds over a Float64Array of 10⁴ values. */
function baselineWork(): number {
  const values = Float64Array.from({ length: 10_000 }, (_, k) => (k % 97) / 97);
  let total = 0;
  for (let pass = 0; pass < 1_000; pass++) for (let k = 0; k < values.length; k++) total += values[k]! * values[(k + pass) % values.length]!;
  return total;
}

const baseline = timed(baselineWork);
const measurements: Measurement[] = [];
const measure = (what: string, work: () => unknown) => {
  const milliseconds = timed(work);
  measurements.push({ what, milliseconds, baselines: milliseconds / baseline });
  console.log(`${what}: ${milliseconds.toFixed(1)} ms (${(milliseconds / baseline).toFixed(2)} × baseline)`);
};

const market = syntheticMarket(MOVIELENS_SHAPE);
const publicEvents = market.histories.reduce((n, history) => n + history.filter((i) => i.kind !== "browse").length, 0);
measure(`public item factors, ${MOVIELENS_SHAPE.users} buyers, ${MOVIELENS_SHAPE.items} listings, ${publicEvents.toLocaleString("en-US")} public events`, () => publicItemFactors(market.histories));

const { itemCount, dimension } = AGGREGATOR_DEFAULTS;
const factors = randomItemFactors(itemCount, dimension, seededRandom(1));
const profile = { factor: [], history: market.histories[0]!.filter((i) => i.itemId < itemCount) };
const length = contributionLength(itemCount, dimension);
measure(`one contribution, ${itemCount} listings × ${dimension}, ${profile.history.length} interactions`, () => participationContribution(profile, factors, 0, 100, seededRandom(2)));
const encoded = encodeFixedPoint(participationContribution(profile, factors, 0, 100, seededRandom(2)));
for (const members of [3, 10, 100, 1024]) {
  const keys = Array.from({ length: members }, () => ({ clientId: randomClientId(), ...secureRoundKeyPair() }));
  const roster: RosterMember[] = keys.map(({ clientId, publicKey }) => ({ clientId, publicKey }));
  measure(`masking it for a roster of ${members}`, () => maskContribution(encoded, { clientId: keys[0]!.clientId, privateKey: keys[0]!.privateKey }, roster, 0));
}
measure(`the aggregator's decode and step, ${length.toLocaleString("en-US")} values`, () => applyUpdateSum(factors, decodeFixedPointSum(encoded), 100, { learningRate: 2, regularization: 0.01 }));

const member = { clientId: randomClientId(), ...secureRoundKeyPair() };
const bytes = [itemCount, MOVIELENS_SHAPE.items].map((items) => ({
  listings: items,
  enrolment: JSON.stringify(enrolmentBody(member)).length,
  maskedContribution: JSON.stringify(maskedUploadBody(member.clientId, new Uint32Array(contributionLength(items, dimension)))).length,
}));

const result = { baselineMilliseconds: baseline, loadAverage: loadavg()[0]!, measurements, bytes, runs: RUNS, measuredAt: new Date().toISOString() };
mkdirSync(DOCS, { recursive: true });
writeFileSync(join(DOCS, "recommend.json"), `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(
  join(DOCS, "recommend.md"),
  `# Benchmark: the private recommender (issue #16)

Generated by \`npm run bench:recommend\` (scripts/bench/recommend.ts) on ${result.measuredAt.slice(0, 10)}, load average ${result.loadAverage.toFixed(1)}. Each time is the median of ${RUNS} runs in Node, also given as a multiple of a baseline measured in the same run (10⁷ multiply-adds over a Float64Array: ${baseline.toFixed(1)} ms here), since the machine is shared; a browser runs the same code.

| what | ms | × baseline |
| --- | --- | --- |
${measurements.map((m) => `| ${m.what} | ${m.milliseconds.toFixed(1)} | ${m.baselines.toFixed(2)} |`).join("\n")}

Bytes a buyer sends a secure round (JSON; the contribution holds every listing's update as base64 uint32, whatever the history):

| listings × ${dimension} | enrolment | masked contribution |
| --- | --- | --- |
${bytes.map((b) => `| ${b.listings.toLocaleString("en-US")} | ${b.enrolment} | ${b.maskedContribution.toLocaleString("en-US")} |`).join("\n")}
`,
);
console.log(`wrote ${join(DOCS, "recommend.md")}`);
