/**
 * The recommendation study (issue #16) as a function of its configuration, so the test can run
 * it small: ranking quality (recall@10, recall@20, NDCG@10, full ranking, time-based split) of
 * most-popular, centralized MF, federated MF without noise, federated MF whose noise gives
 * ε = 1, 4, 8 for the published factors (central view: the average of m uploads has noise
 * σ·C·√m) and for each single upload (local view: what the aggregator sees), and federated MF
 * at ε = 8 started from factors trained on the public on-chain events alone; bytes uploaded
 * per client per round; the aggregator's inference AUC with and without decoys and noise.
 */
import {
  calibrateNoise,
  fitUserFactor,
  gaussianEpsilon,
  itemConfidences,
  itemGram,
  seededRandom,
  trainCentralized,
  uploadBody,
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
  /** Everything of a federated run but its noise and decoys. */
  readonly federated: Omit<FederatedSetting, "noiseMultiplier" | "decoys">;
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
  /** σ of each upload, the ε of the published factors and of one client's uploads (undefined: no noise). */
  readonly noiseMultiplier?: number;
  readonly centralEpsilon?: number;
  readonly localEpsilon?: number;
}

export interface AttackResult {
  readonly decoys: string;
  readonly noise: string;
  readonly noiseMultiplier: number;
  readonly auc: number;
}

export interface RecommendationStudyResult {
  readonly config: RecommendationStudyConfig;
  readonly market: ReturnType<typeof marketStatistics> & { readonly testUsers: number; readonly testItems: number; readonly cutoffDay: number };
  readonly methods: readonly MethodResult[];
  readonly uploadBytes: readonly { readonly decoys: string; readonly items: number; readonly bytes: number }[];
  readonly attacks: readonly AttackResult[];
  readonly seconds: number;
}

export function runRecommendationStudy(config: RecommendationStudyConfig, log: (line: string) => void = () => {}): RecommendationStudyResult {
  const started = performance.now();
  const market = syntheticMarket(config.shape);
  const split = timeSplit(market.histories);
  const items = config.shape.items;
  const participants = split.train.filter((h) => h.length > 0).length;
  const { rounds, userRegularization } = config.federated;
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
  const noiseless = trainFederated(split.train, items, { ...config.federated, noiseMultiplier: 0, decoys: "all" });
  evaluate("federated MF, no noise", noiseless.at(-1)!);

  const accounting = { delta: config.delta, rounds };
  const localEpsilon = (sigma: number) => gaussianEpsilon({ noiseMultiplier: sigma, samplingRate: 1, ...accounting }).epsilon;
  const centralEpsilon = (sigma: number) => gaussianEpsilon({ noiseMultiplier: sigma * Math.sqrt(participants), samplingRate: 1, ...accounting }).epsilon;
  const noisyRun = (method: string, sigma: number, start?: ItemFactors) =>
    evaluate(method, trainFederated(split.train, items, { ...config.federated, noiseMultiplier: sigma, decoys: "all" }, start).at(-1)!, {
      noiseMultiplier: sigma,
      centralEpsilon: centralEpsilon(sigma),
      localEpsilon: localEpsilon(sigma),
    });
  const centralSigma = (epsilon: number) => calibrateNoise(epsilon, { samplingRate: 1, ...accounting }) / Math.sqrt(participants);
  const localSigma = (epsilon: number) => calibrateNoise(epsilon, { samplingRate: 1, ...accounting });
  for (const epsilon of config.epsilons) noisyRun(`federated MF, ε = ${epsilon} (published factors)`, centralSigma(epsilon));
  for (const epsilon of config.epsilons) noisyRun(`federated MF, ε = ${epsilon} (each upload)`, localSigma(epsilon));
  const top = Math.max(...config.epsilons);
  const publicEvents = split.train.map((h) => h.filter((i) => i.kind !== "browse"));
  const publicStart = trainCentralized(publicEvents, { itemCount: items, dimension: config.federated.dimension, iterations: config.centralizedIterations, regularization: userRegularization }, seededRandom(config.federated.seed)).items;
  evaluate("MF on public on-chain events only", publicStart);
  noisyRun(`federated MF, ε = ${top} (published factors), from the public factors`, centralSigma(top), publicStart);

  // Bytes per client per round, for a typical (median) client.
  const sizes = split.train.map((h) => new Set(h.map((i) => i.itemId)).size).filter((n) => n > 0).sort((a, b) => a - b);
  const median = split.train.find((h) => new Set(h.map((i) => i.itemId)).size === sizes[Math.floor(sizes.length / 2)])!;
  const uploadBytes = (["none", config.sampledDecoys, "all"] as const).map((decoys) => {
    const { upload } = federatedClientStep({ factor: [], history: median }, noiseless[0]!, { ...clientOptions({ ...config.federated, noiseMultiplier: 1, decoys: decoys === "none" ? 0 : decoys }, 0) }, seededRandom(1));
    return { decoys: String(decoys), items: upload.itemIds.length, bytes: JSON.stringify(uploadBody(upload, "client-0123456789abcdef")).length };
  });

  // The attack, replayed over the noiseless run's rounds for the first attacked users.
  const attacked = split.train.map((h, u) => ({ h, u })).filter(({ h }) => h.length > 0).slice(0, config.attackedUsers);
  const attacks: AttackResult[] = [];
  const noises: [string, number][] = [["none", 0], [`ε = ${top}, published factors`, centralSigma(top)], [`ε = ${top}, each upload`, localSigma(top)], [`ε = ${Math.min(...config.epsilons)}, each upload`, localSigma(Math.min(...config.epsilons))]];
  for (const decoys of [0, config.sampledDecoys, "all"] as const) {
    for (const [noise, sigma] of noises) {
      const random = seededRandom(config.federated.seed + 7);
      let total = 0;
      for (const { h } of attacked) {
        const uploads = noiseless.slice(0, rounds).map((factors, round) => federatedClientStep({ factor: [], history: h }, factors, clientOptions({ ...config.federated, noiseMultiplier: sigma, decoys }, round), random).upload);
        total += inferenceAuc(uploads, new Set(itemConfidences(h).keys()), items);
      }
      attacks.push({ decoys: decoys === 0 ? "none" : String(decoys), noise, noiseMultiplier: sigma, auc: total / attacked.length });
      log(`attack, decoys ${decoys}, noise ${noise}: AUC ${attacks.at(-1)!.auc.toFixed(3)}`);
    }
  }
  const testUsers = split.test.filter((t) => t.size > 0).length;
  return {
    config,
    market: { ...marketStatistics(market), testUsers, testItems: split.test.reduce((n, t) => n + t.size, 0), cutoffDay: split.cutoff / 86_400 },
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
