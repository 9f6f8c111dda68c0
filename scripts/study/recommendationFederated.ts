/**
 * Federated MF as the study runs it: every round each buyer with a training history fits its
 * user factor on its device and computes its clipped item updates with its share of the noise
 * (the SDK's federatedClientStep), secure aggregation hands the aggregator their sum (computed
 * here directly: test/recommend/secureAggregation.test.ts shows the masked sum decodes to it
 * within the fixed-point resolution), and the aggregator applies its mean (applyUpdateSum). The
 * per-round factors are kept so the attack can replay any upload setting against them.
 */
import { applyUpdateSum, contributionLength, federatedClientStep, itemGram, randomItemFactors, seededRandom, type Interaction, type ItemFactors } from "@modelbazaar/sdk/recommend";

export interface FederatedSetting {
  readonly rounds: number;
  readonly dimension: number;
  readonly clipNorm: number;
  /** σ of each upload (its noise is σ·C per value): the sum's multiplier over √participants under secure aggregation. */
  readonly noiseMultiplier: number;
  readonly decoys: number | "all";
  readonly userRegularization: number;
  readonly itemRegularization: number;
  readonly learningRate: number;
  readonly seed: number;
}

/** Trains from `start` (default: the aggregator's seeded random factors); returns the factors after each round. */
export function trainFederated(train: readonly (readonly Interaction[])[], itemCount: number, setting: FederatedSetting, start?: ItemFactors): ItemFactors[] {
  let factors = start ?? randomItemFactors(itemCount, setting.dimension, seededRandom(setting.seed));
  const random = seededRandom(setting.seed + 1);
  const trajectory = [factors];
  for (let round = 0; round < setting.rounds; round++) {
    const gram = itemGram(factors);
    const sum = new Float64Array(contributionLength(itemCount, setting.dimension));
    let participants = 0;
    for (const history of train) {
      if (history.length === 0) continue;
      const { upload } = federatedClientStep({ factor: [], history }, factors, { ...clientOptions(setting, round), gram }, random);
      upload.itemIds.forEach((itemId, k) => {
        for (let a = 0; a < setting.dimension; a++) sum[itemId * setting.dimension + a]! += upload.values[k * setting.dimension + a]!;
      });
      participants++;
    }
    factors = applyUpdateSum(factors, sum, participants, { learningRate: setting.learningRate, regularization: setting.itemRegularization });
    trajectory.push(factors);
  }
  return trajectory;
}

/** The client options of a setting for one round. */
export function clientOptions(setting: FederatedSetting, round: number) {
  return { round, decoys: setting.decoys, clipNorm: setting.clipNorm, noiseMultiplier: setting.noiseMultiplier, regularization: setting.userRegularization };
}
