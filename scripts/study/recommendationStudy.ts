/**
 * The recommendation study (issue #16) as a function of its configuration, so the test can run
 * it small: ranking quality (recall@10, recall@20, NDCG@10, full ranking, time-based split) of
 * most-popular, centralized MF, federated MF without noise, federated MF under secure
 * aggregation whose summed noise gives ε = 1, 4, 8 a month (from random factors, and from the
 * factors of the public on-chain events, with the settings buyers' clients use), federated MF with
 * the noise on each upload instead (no secure aggregation), and MF on the public events alone;
 * bytes uploaded per client per round; the aggregator's inference AUC from each view it can
 * have of one buyer, with and without decoys.
 */
import {
  calibrateNoise,
  fitUserFactor,
  gaussianEpsilon,
  itemConfidences,
  itemGram,
  seededRandom,
  trainCentralized,
  contributionLength,
  enrolmentBody,
  maskedUploadBody,
  secureRoundKeyPair,
  federatedClientStep,
  type Interaction,
  type ItemFactors,
} from "@modelbazaar/sdk/recommend";
import { inferenceAuc } from "./recommendationAttack.ts";
import { marketStatistics, syntheticMarket, timeSplit, type SyntheticMarketShape, type TimeSplit } from "./recommendationData.ts";
import { clientOptions, trainFederated, type FederatedSetting } from "./recommendationFederated.ts";
import { rankingQuality, type RankingQuality } from "./recommendationMetrics.ts";

export interface RecommendationStudyConfig {
  readonly shape: SyntheticMarketShape;
  /** Everything of a federated run from the aggregator's seeded random factors but its noise and decoys. */
  readonly federated: Omit<FederatedSetting, "noiseMultiplier" | "decoys">;
  /** Rounds a month and clipping bound of federated runs started from the public on-chain factors (the settings buyers' clients use). */
  readonly warmStart: { readonly rounds: number; readonly clipNorm: number };
  readonly centralizedIterations: number;
  readonly epsilons: readonly number[];
  readonly delta: number;
  /** Decoys of the sampled-decoy attack setting. */
  readonly sampledDecoys: number;
  /** Clients whose uploads the attack examines. */
  readonly attackedUsers: number;
}

export interface MethodResult extends RankingQuality {
  readonly method: string;
  /** Noise multiplier of a round's sum (its noise is that times C; undefined: no noise). */
  readonly sumNoiseMultiplier?: number;
  /** ε a month of the round sums: against anyone who reads the factors, and (secure aggregation) against the aggregator. */
  readonly epsilon?: number;
  /** ε a month of one buyer's own upload noise alone: what is left against an aggregator that sees single uploads. */
  readonly uploadEpsilon?: number;
}

export interface AttackResult {
  readonly decoys: string;
  readonly view: string;
  /** σ of the noise on what the attacker reads of one buyer, per value, in units of C. */
  readonly noiseMultiplier: number;
  readonly auc: number;
}

export interface RecommendationStudyResult {
  readonly config: RecommendationStudyConfig;
  readonly market: ReturnType<typeof marketStatistics> & { readonly testUsers: number; readonly testItems: number; readonly cutoffDay: number };
  /** Buyers with a training history: every round's participants. */
  readonly participants: number;
  readonly methods: readonly MethodResult[];
  /** Bytes of what a client sends in a round, by message. */
  readonly uploadBytes: readonly { readonly message: string; readonly bytes: number }[];
  readonly attacks: readonly AttackResult[];
  readonly seconds: number;
}

/** The names of the study's rows, shared by the report and the plots. */
export const methodName = {
  secure: (epsilon: number) => `federated MF, secure aggregation, ε = ${epsilon}`,
  local: (epsilon: number) => `federated MF, ε = ${epsilon} for each upload (no secure aggregation)`,
  warm: (epsilon: number) => `federated MF, secure aggregation, ε = ${epsilon}, from the public factors`,
  publicOnly: "MF on public on-chain events only",
};

export function runRecommendationStudy(config: RecommendationStudyConfig, log: (line: string) => void = () => {}): RecommendationStudyResult {
  const started = performance.now();
  const market = syntheticMarket(config.shape);
  const split = timeSplit(market.histories);
  const items = config.shape.items;
  const participants = split.train.filter((h) => h.length > 0).length;
  const { userRegularization } = config.federated;
  const score = scorer(split, userRegularization);
  const methods: MethodResult[] = [];
  const evaluate = (method: string, factors: ItemFactors, extra: Partial<MethodResult> = {}) => {
    methods.push({ method, ...rankingQuality(split, items, score(factors)), ...extra });
    log(`${method}: recall@20 ${methods.at(-1)!.recallAt20.toFixed(4)}`);
  };

  const popularity = new Float64Array(items);
  for (const history of split.train) for (const item of new Set(history.map((i) => i.itemId))) popularity[item]!++;
  methods.push({ method: "most popular", ...rankingQuality(split, items, () => popularity) });
  const centralized = trainCentralized(split.train, { itemCount: items, dimension: config.federated.dimension, iterations: config.centralizedIterations, regularization: userRegularization }, seededRandom(config.federated.seed));
  evaluate("centralized MF (ALS)", centralized.items);
  evaluate("federated MF, no noise", trainFederated(split.train, items, { ...config.federated, noiseMultiplier: 0, decoys: "all" }).at(-1)!);

  // Under secure aggregation every participant adds N(0, (zC)²/m) and the aggregator sees only the
  // sum, whose noise is then N(0, (zC)²): the Gaussian mechanism of multiplier z on the sum. One
  // upload's own noise is the share z/√m.
  const epsilonOf = (z: number, rounds: number) => gaussianEpsilon({ noiseMultiplier: z, samplingRate: 1, delta: config.delta, rounds }).epsilon;
  const sumNoise = (epsilon: number, rounds: number) => calibrateNoise(epsilon, { samplingRate: 1, delta: config.delta, rounds });
  const noisyRun = (method: string, setting: Omit<FederatedSetting, "noiseMultiplier" | "decoys">, z: number, start?: ItemFactors) =>
    evaluate(method, trainFederated(split.train, items, { ...setting, noiseMultiplier: z / Math.sqrt(participants), decoys: "all" }, start).at(-1)!, {
      sumNoiseMultiplier: z,
      epsilon: epsilonOf(z, setting.rounds),
      uploadEpsilon: epsilonOf(z / Math.sqrt(participants), setting.rounds),
    });
  const { rounds } = config.federated;
  const top = Math.max(...config.epsilons);
  for (const epsilon of config.epsilons) noisyRun(methodName.secure(epsilon), config.federated, sumNoise(epsilon, rounds));
  noisyRun(methodName.local(top), config.federated, sumNoise(top, rounds) * Math.sqrt(participants));
  const publicEvents = split.train.map((h) => h.filter((i) => i.kind !== "browse"));
  const publicStart = trainCentralized(publicEvents, { itemCount: items, dimension: config.federated.dimension, iterations: config.centralizedIterations, regularization: userRegularization }, seededRandom(config.federated.seed)).items;
  evaluate(methodName.publicOnly, publicStart);
  const warm = { ...config.federated, ...config.warmStart };
  for (const epsilon of config.epsilons) noisyRun(methodName.warm(epsilon), warm, sumNoise(epsilon, warm.rounds), publicStart);

  // Bytes a client sends per secure round: its enrolment and its masked contribution (every listing, whatever its history).
  const member = { clientId: "client-0123456789abcdef", ...secureRoundKeyPair() };
  const uploadBytes = [
    { message: "enrolment", bytes: JSON.stringify(enrolmentBody(member)).length },
    { message: "masked contribution", bytes: JSON.stringify(maskedUploadBody(member.clientId, new Uint32Array(contributionLength(items, config.federated.dimension)))).length },
  ];

  // The attack on the settings buyers' clients use (the warm start at ε = top), replayed over its noiseless rounds for the first attacked users.
  const noiseless = trainFederated(split.train, items, { ...warm, noiseMultiplier: 0, decoys: "all" }, publicStart);
  const attacked = split.train.map((h, u) => ({ h, u })).filter(({ h }) => h.length > 0).slice(0, config.attackedUsers);
  const attacks: AttackResult[] = [];
  const z = sumNoise(top, warm.rounds);
  const views: [string, number][] = [
    ["plain uploads", 0],
    [`ε = ${top}, secure aggregation: the sum less every other buyer's contribution`, z],
    [`ε = ${top}, secure aggregation, every other roster member fabricated: one upload's share`, z / Math.sqrt(participants)],
    [`ε = ${top} for each upload, no secure aggregation`, sumNoise(top, warm.rounds)],
  ];
  for (const decoys of [0, config.sampledDecoys, "all"] as const) {
    for (const [view, sigma] of views) {
      const random = seededRandom(config.federated.seed + 7);
      let total = 0;
      for (const { h } of attacked) {
        const uploads = noiseless.slice(0, warm.rounds).map((factors, round) => federatedClientStep({ factor: [], history: h }, factors, clientOptions({ ...warm, noiseMultiplier: sigma, decoys }, round), random).upload);
        total += inferenceAuc(uploads, new Set(itemConfidences(h).keys()), items);
      }
      attacks.push({ decoys: decoys === 0 ? "none" : String(decoys), view, noiseMultiplier: sigma, auc: total / attacked.length });
      log(`attack, decoys ${decoys}, ${view}: AUC ${attacks.at(-1)!.auc.toFixed(3)}`);
    }
  }
  const testUsers = split.test.filter((t) => t.size > 0).length;
  return {
    config,
    market: { ...marketStatistics(market), testUsers, testItems: split.test.reduce((n, t) => n + t.size, 0), cutoffDay: split.cutoff / 86_400 },
    participants,
    methods,
    uploadBytes,
    attacks,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Scores for every item: the buyer's factor fitted on its device against `factors`, dotted with each item's. */
function scorer(split: TimeSplit, regularization: number) {
  return (factors: ItemFactors) => {
    const gram = itemGram(factors);
    const d = factors.dimension;
    return (userId: number) => {
      const x = fitUserFactor(factors, itemConfidences(split.train[userId]! as Interaction[]), regularization, gram);
      const scores = new Float64Array(factors.count);
      for (let i = 0; i < factors.count; i++) {
        let s = 0;
        for (let a = 0; a < d; a++) s += x[a]! * factors.values[i * d + a]!;
        scores[i] = s;
      }
      return scores;
    };
  };
}
