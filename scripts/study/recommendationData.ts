/**
 * A seeded synthetic market shaped like MovieLens-100k (no interaction data set can be
 * downloaded here): 943 buyers, 1,682 listings, at least 20 listings per buyer, about 6% density,
 * Zipf popularity, taste clusters, and a browse → test-drive → buy funnel with timestamps. The
 * parameters are `MOVIELENS_SHAPE` (docs/studies/recommendation.md states them), and the
 * time-based split the study evaluates on.
 */
import { normalDraw, seededRandom, type Interaction, type RandomSource } from "@modelbazaar/sdk/recommend";

export interface SyntheticMarketShape {
  readonly users: number;
  readonly items: number;
  /** Fewest distinct listings per buyer. */
  readonly minItemsPerUser: number;
  /** Buyer activity beyond the minimum: exp(N(activityLogMean, activityLogSd)), capped at maxItemsPerUser. */
  readonly activityLogMean: number;
  readonly activityLogSd: number;
  readonly maxItemsPerUser: number;
  /** Popularity of the item of popularity rank r: r^(−zipfExponent). */
  readonly zipfExponent: number;
  /** Taste clusters: each listing belongs to one, each buyer favours one and likes a second. */
  readonly clusters: number;
  /** Share of a buyer's taste on its favourite cluster, its second one; the rest is spread evenly. */
  readonly favouriteShare: number;
  readonly secondShare: number;
  /** P(test-drive | browse) = base + slope · (the buyer's taste share of the listing's cluster). */
  readonly testDriveBase: number;
  readonly testDriveSlope: number;
  /** P(buy | test-drive) = base + slope · taste share. */
  readonly buyBase: number;
  readonly buySlope: number;
  /** Buyers join uniformly over the first joinWindowDays and touch their listings at uniform times from then until horizonDays. */
  readonly joinWindowDays: number;
  readonly horizonDays: number;
  readonly seed: number;
}

/** The study's full shape (MovieLens-100k: 943 users, 1,682 items, 100,000 ratings, 6.3% density). */
export const MOVIELENS_SHAPE: SyntheticMarketShape = {
  users: 943,
  items: 1682,
  minItemsPerUser: 20,
  activityLogMean: 3.95,
  activityLogSd: 1,
  maxItemsPerUser: 700,
  zipfExponent: 0.9,
  clusters: 12,
  favouriteShare: 0.6,
  secondShare: 0.25,
  testDriveBase: 0.15,
  testDriveSlope: 0.6,
  buyBase: 0.1,
  buySlope: 0.5,
  joinWindowDays: 150,
  horizonDays: 210,
  seed: 16,
};

export interface SyntheticMarket {
  readonly shape: SyntheticMarketShape;
  /** Per buyer, its interactions in time order (a browse for every listing it touched, then maybe a test-drive and a buy). */
  readonly histories: readonly (readonly Interaction[])[];
  /** Each listing's taste cluster. */
  readonly itemCluster: readonly number[];
}

const DAY = 86_400;

/** Generates the market for `shape` (deterministic in its seed). */
export function syntheticMarket(shape: SyntheticMarketShape): SyntheticMarket {
  const random = seededRandom(shape.seed);
  const rank = shuffled(shape.items, random); // rank[item] = its popularity rank
  const logPopularity = rank.map((r) => -shape.zipfExponent * Math.log(r + 1));
  const itemCluster = Array.from({ length: shape.items }, () => Math.floor(random.uniform() * shape.clusters));
  const histories = Array.from({ length: shape.users }, () => {
    const taste = tasteOf(shape, random);
    const count = Math.min(shape.maxItemsPerUser, shape.minItemsPerUser + Math.round(Math.exp(shape.activityLogMean + shape.activityLogSd * normalDraw(random))));
    // Weighted sampling without replacement (Efraimidis–Spirakis): the `count` largest log(u)/w.
    const keys = logPopularity.map((logP, item) => ({ item, key: Math.log(1 - random.uniform()) / Math.exp(logP + Math.log(taste[itemCluster[item]!]!)) }));
    keys.sort((a, b) => b.key - a.key);
    const join = random.uniform() * shape.joinWindowDays * DAY;
    const history: Interaction[] = [];
    for (const { item } of keys.slice(0, count)) {
      const time = join + random.uniform() * (shape.horizonDays * DAY - join);
      const share = taste[itemCluster[item]!]!;
      history.push({ itemId: item, kind: "browse", timestamp: Math.round(time) });
      if (random.uniform() < shape.testDriveBase + shape.testDriveSlope * share) {
        const drive = time + random.uniform() * 0.2 * DAY;
        history.push({ itemId: item, kind: "testDrive", timestamp: Math.round(drive) });
        if (random.uniform() < shape.buyBase + shape.buySlope * share) history.push({ itemId: item, kind: "buy", timestamp: Math.round(drive + random.uniform() * DAY) });
      }
    }
    return history.sort((a, b) => a.timestamp - b.timestamp);
  });
  return { shape, histories, itemCluster };
}

function tasteOf(shape: SyntheticMarketShape, random: RandomSource): number[] {
  const favourite = Math.floor(random.uniform() * shape.clusters);
  const second = (favourite + 1 + Math.floor(random.uniform() * (shape.clusters - 1))) % shape.clusters;
  const rest = (1 - shape.favouriteShare - shape.secondShare) / shape.clusters;
  return Array.from({ length: shape.clusters }, (_, c) => rest + (c === favourite ? shape.favouriteShare : 0) + (c === second ? shape.secondShare : 0));
}

function shuffled(n: number, random: RandomSource): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random.uniform() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** Distinct listings per buyer, and the share of the buyer × listing matrix touched. */
export function marketStatistics(market: SyntheticMarket): { interactions: number; density: number; minPerUser: number; events: Record<Interaction["kind"], number> } {
  const perUser = market.histories.map((h) => new Set(h.map((i) => i.itemId)).size);
  const interactions = perUser.reduce((a, b) => a + b, 0);
  const events = { browse: 0, testDrive: 0, buy: 0 };
  for (const h of market.histories) for (const i of h) events[i.kind]++;
  return { interactions, density: interactions / (market.shape.users * market.shape.items), minPerUser: Math.min(...perUser), events };
}

/** A time-based split: everything before the cutoff trains; the listings a buyer first touched at or after it are its test set. */
export interface TimeSplit {
  readonly cutoff: number;
  readonly train: readonly (readonly Interaction[])[];
  /** Per buyer, the listings first touched at or after the cutoff (empty for buyers with no training history). */
  readonly test: readonly ReadonlySet<number>[];
}

/** Splits at the `trainShare` quantile of all first touches (0.8: the last 20% of the market's time is the test). */
export function timeSplit(histories: readonly (readonly Interaction[])[], trainShare = 0.8): TimeSplit {
  const firstTouches = histories.flatMap((h) => h.filter((i) => i.kind === "browse").map((i) => i.timestamp)).sort((a, b) => a - b);
  const cutoff = firstTouches[Math.floor(trainShare * (firstTouches.length - 1))]!;
  const train = histories.map((h) => h.filter((i) => i.timestamp < cutoff));
  const test = histories.map((h, u) => {
    const seen = new Set(train[u]!.map((i) => i.itemId));
    return seen.size === 0 ? new Set<number>() : new Set(h.filter((i) => i.timestamp >= cutoff && !seen.has(i.itemId)).map((i) => i.itemId));
  });
  return { cutoff, train, test };
}
