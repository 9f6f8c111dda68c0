/**
 * A fresh copy of a trained network: the same architecture (built by its spec's `build`) holding
 * the source's weights, so a copy can be fine-tuned, pruned or fingerprinted apart.
 */
import type { DatasetSplit } from "../lib/datasets/dataset.ts";
import { SeededRng } from "../lib/datasets/seededRng.ts";
import type { Network } from "./network.ts";

export function cloneNetwork(build: (split: DatasetSplit, rng: SeededRng) => Network, split: DatasetSplit, source: Network): Network {
  const copy = build(split, new SeededRng(0));
  copy.parameters.forEach((p, i) => p.value.set(source.parameters[i]!.value));
  return copy;
}
