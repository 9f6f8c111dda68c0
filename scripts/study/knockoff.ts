/**
 * Attack (b), Knockoff-style retraining (Orekondy et al. 2019): the attacker trains a network
 * of the victim's published architecture (the model card names it) with the project's own
 * trainer (scripts/train) on its queries, labelled with the top-1 class each answer gives.
 * The trainer learns from hard labels, so blurred scores hurt this attacker only through the
 * labels they flip.
 */
import { makeDataset } from "../lib/datasets/dataset.ts";
import { SeededRng } from "../lib/datasets/seededRng.ts";
import { fit } from "../train/fit.ts";
import { argmax } from "../train/metrics.ts";
import { modelSpec } from "../train/modelSpecs.ts";
import type { Network } from "../train/network.ts";
import type { Victim } from "./victims.ts";

/** Optimizer steps a surrogate gets at least, however few its queries (small sets get more epochs). */
const MIN_STEPS = 400;

/** A surrogate of `victim` trained on `count` queries and the labels the channel gave them. */
export function trainSurrogate(victim: Victim, queries: Float64Array, count: number, labels: Uint8Array, seed: number): Network {
  const spec = modelSpec(victim.name);
  const train = makeDataset(queries.slice(0, count * victim.plan.inputSize), labels.slice(0, count), victim.plan.inputSize, victim.plan.outputSize);
  // The attacker standardizes on its own queries: it has no access to the seller's training split.
  const network = spec.build({ ...victim.split, train }, new SeededRng(seed));
  const { batchSize, epochs } = spec.hyperparameters;
  fit(network, train, { ...spec.hyperparameters, seed, epochs: Math.max(epochs, Math.ceil((MIN_STEPS * batchSize) / count)) });
  return network;
}

/** A surrogate's top-1 predictions on `count` samples. */
export function predictNetwork(network: Network, features: Float64Array, count: number): Uint8Array {
  return argmax(network.scores(makeDataset(features.slice(0, count * network.inputSize), new Uint8Array(count), network.inputSize, network.classCount)), network.classCount);
}
