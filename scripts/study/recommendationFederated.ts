/**
 * Federated MF as the study runs it: every round each buyer with a training history fits its
 * user factor on its device, uploads its clipped, noised item updates (the SDK's
 * federatedClientStep), and the aggregator averages them (aggregateUpdates). The per-round
 * factors are kept so the attack can replay any upload setting against them.
 */
import { aggregateUpdates, federatedClientStep, itemGram, randomItemFactors, seededRandom, type Interaction, type ItemFactors } from "@modelbazaar/sdk/recommend";

export interface FederatedSetting {
  readonly rounds: number;
  readonly dimension: number;
  readonly clipNorm: number;
  /** σ of each upload (its noise is σ·C per value). */
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
    const uploads = train
      .filter((history) => history.length > 0)
      .map((history) => federatedClientStep({ factor: [], history }, factors, { ...clientOptions(setting, round), gram }, random).upload);
    factors = aggregateUpdates(factors, uploads, { learningRate: setting.learningRate, regularization: setting.itemRegularization });
    trajectory.push(factors);
  }
  return trajectory;
}

/** The client options of a setting for one round. */
export function clientOptions(setting: FederatedSetting, round: number) {
  return { round, decoys: setting.decoys, clipNorm: setting.clipNorm, noiseMultiplier: setting.noiseMultiplier, regularization: setting.userRegularization };
}
