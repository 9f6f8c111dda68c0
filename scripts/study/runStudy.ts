/**
 * The study itself: for each victim, every defence setting, the attacks' curves, the honest
 * buyer's cost and the price of 90 % and 95 % fidelity. Pure apart from reading the models
 * and benchmarks; report.ts and extraction.ts write the results.
 */
import { chooseParameters, summarizePlan } from "@modelbazaar/sdk/he";
import { argmax } from "../train/metrics.ts";
import type { ModelName } from "../train/modelSpecs.ts";
import { agreement } from "./agreement.ts";
import { equationSolvingCurve, knockoffCurve, type QueryPool } from "./attackRuns.ts";
import type { ChannelShape } from "./channel.ts";
import { queriesToReach, type Curve, type QueriesNeeded } from "./curves.ts";
import { defenceSettings, type DefenceSetting } from "./defences.ts";
import { honestCost, type HonestCost } from "./honestCost.ts";
import { policyUnder, priceOf, readMeasuredGas, testDriveGas, type MeasuredGas } from "./pricing.ts";
import { planScores } from "./planScores.ts";
import { drawQueries } from "./querySources.ts";
import type { StudyConfig } from "./studyConfig.ts";
import { loadVictim, type Victim } from "./victims.ts";

export const FIDELITY_TARGETS = [0.9, 0.95] as const;

export interface VictimSummary {
  readonly name: ModelName;
  readonly kind: Victim["kind"];
  readonly featureCount: number;
  readonly classCount: number;
  readonly slots: number;
  /** The plan's accuracy on the test split (0..1). */
  readonly testAccuracy: number;
  readonly testSamples: number;
}

export interface PriceRow {
  readonly victim: ModelName;
  readonly setting: string;
  readonly fidelity: number;
  readonly needed: QueriesNeeded;
  /** Undefined when no measured budget reached the fidelity. */
  readonly testDrives?: number;
  readonly costWei?: bigint;
  readonly path?: "walk away" | "refund";
  readonly exceedsPrice?: boolean;
}

export interface StudyResult {
  readonly config: StudyConfig;
  readonly settings: readonly DefenceSetting[];
  readonly victims: readonly VictimSummary[];
  readonly curves: readonly Curve[];
  readonly honest: readonly { readonly victim: ModelName; readonly setting: string; readonly costs: readonly HonestCost[] }[];
  readonly gas: MeasuredGas;
  readonly prices: readonly PriceRow[];
}

export function runStudy(config: StudyConfig, log: (line: string) => void = () => {}): StudyResult {
  const settings = defenceSettings(config.noiseSigmas, config.capSamples);
  const measured = settings.filter((s) => s.sameAnswersAs === undefined);
  const victims: VictimSummary[] = [];
  const curves: Curve[] = [];
  const honest: StudyResult["honest"][number][] = [];
  for (const { name, budgets, attacks } of config.victims) {
    const victim = loadVictim(name);
    const test = victim.split.test;
    const shape: ChannelShape = { classes: victim.plan.outputSize, slots: chooseParameters(summarizePlan(victim.plan)).polyModulusDegree / 2, maxSamples: config.policy.maxSamples };
    const testExact = planScores(victim.plan, test.features, test.sampleCount);
    const victimTestLabels = argmax(testExact, shape.classes);
    victims.push({ name, kind: victim.kind, featureCount: victim.plan.inputSize, classCount: shape.classes, slots: shape.slots, testAccuracy: agreement(victimTestLabels, test.labels), testSamples: test.sampleCount });
    const largest = Math.max(...budgets);
    for (const { attack, sources } of attacks) {
      for (const source of sources) {
        const queries = drawQueries(source, victim.split.train, largest, config.seed);
        const pool: QueryPool = { victim, shape, queries, exact: planScores(victim.plan, queries, largest), victimTestLabels };
        const trained = new Map<string, Uint8Array>();
        for (const setting of source === sources[0] ? measured : measured.filter((s) => s.id === "none")) {
          const started = performance.now();
          const points = attack === "equation solving" ? equationSolvingCurve(pool, setting, budgets) : knockoffCurve(pool, setting, budgets, config.seed, trained);
          curves.push({ victim: name, attack, source, setting: setting.id, points });
          log(`${name} ${attack} ${source} ${setting.id}: fidelity ${points.map((p) => `${p.queries}:${(100 * p.fidelity).toFixed(1)}%`).join(" ")} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
        }
      }
    }
    for (const setting of measured) {
      const costs = config.honestSamples.map((n, i) => honestCost(test, testExact, shape, setting, n, config.honestDraws, config.seed + i));
      honest.push({ victim: name, setting: setting.id, costs });
    }
  }
  const gas = readMeasuredGas();
  return { config, settings, victims, curves, honest, gas, prices: priceRows(config, settings, victims, curves, gas) };
}

/** The attacker's best curve per victim and setting (a setting sharing another's answers has its curves), priced. */
function priceRows(config: StudyConfig, settings: readonly DefenceSetting[], victims: readonly VictimSummary[], curves: readonly Curve[], gas: MeasuredGas): PriceRow[] {
  const perTestGas = testDriveGas(gas, config.gasPriceWei);
  return victims.flatMap(({ name }) =>
    settings.flatMap((setting) =>
      FIDELITY_TARGETS.map((fidelity) => {
        const own = curves.filter((c) => c.victim === name && c.setting === (setting.sameAnswersAs ?? setting.id));
        const needed = bestOf(own.map((c) => queriesToReach(c.points, fidelity)));
        const cost = priceOf(needed, policyUnder(config.policy, setting), perTestGas);
        return { victim: name, setting: setting.id, fidelity, needed, ...(cost && { testDrives: cost.testDrives, costWei: cost.wei, path: cost.path, exceedsPrice: cost.wei > config.priceWei }) };
      }),
    ),
  );
}

/** The attacker's best: the fewest queries any curve reached the target with, and the lowest lower bound. */
export function bestOf(needs: readonly QueriesNeeded[]): QueriesNeeded {
  if (needs.length === 0) throw new RangeError("No curve measured for this victim and setting.");
  const reached = needs.map((n) => n.atMost).filter((q): q is number => q !== undefined);
  return { atLeast: Math.min(...needs.map((n) => n.atLeast)), atMost: reached.length ? Math.min(...reached) : undefined };
}
