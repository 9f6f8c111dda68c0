/**
 * What a defence costs an honest buyer: how much further its accuracy estimate on n samples
 * lands from the one it would have read without the defence. Each draw takes n samples of the
 * task's test split (with replacement: Iris has 30) and reads them through the channel twice,
 * undefended and defended; the spread of the paired difference is the defence's own noise,
 * apart from the sampling noise any n-sample estimate has.
 */
import { SeededRng } from "../lib/datasets/seededRng.ts";
import type { Dataset } from "../lib/datasets/dataset.ts";
import { answerQueries, type ChannelShape } from "./channel.ts";
import type { DefenceSetting } from "./defences.ts";

export interface HonestCost {
  readonly samples: number;
  readonly draws: number;
  /** Std-dev of the undefended estimate over the draws (percentage points): sampling noise. */
  readonly undefendedStdPoints: number;
  /** Std-dev of the defended estimate (points). */
  readonly defendedStdPoints: number;
  /** Root mean square of (defended − undefended) estimate, paired draws (points): what the defence adds. */
  readonly addedRmsPoints: number;
  /** Mean of (defended − undefended) (points): the defence's bias. */
  readonly biasPoints: number;
}

const UNDEFENDED: DefenceSetting = { id: "none", label: "none", sigma: 0 };

/** The honest buyer's cost of `setting` at `samples` samples, over `draws` seeded draws. `exact`: the test split's exact scores. */
export function honestCost(test: Dataset, exact: Float64Array, shape: ChannelShape, setting: DefenceSetting, samples: number, draws: number, seed: number): HonestCost {
  const rng = new SeededRng(seed);
  const { classes } = shape;
  const plain: number[] = [];
  const defended: number[] = [];
  const drawn = new Float64Array(samples * classes);
  const truth = new Uint8Array(samples);
  const wide: ChannelShape = { ...shape, maxSamples: samples };
  for (let d = 0; d < draws; d++) {
    for (let s = 0; s < samples; s++) {
      const from = rng.nextUint32() % test.sampleCount;
      drawn.set(exact.subarray(from * classes, (from + 1) * classes), s * classes);
      truth[s] = test.labels[from]!;
    }
    plain.push(accuracyPoints(answerQueries(drawn, samples, wide, UNDEFENDED).labels, truth));
    defended.push(accuracyPoints(answerQueries(drawn, samples, wide, { ...setting, maxSamplesPerTest: undefined }).labels, truth));
  }
  const differences = defended.map((v, i) => v - plain[i]!);
  return {
    samples,
    draws,
    undefendedStdPoints: std(plain),
    defendedStdPoints: std(defended),
    addedRmsPoints: Math.sqrt(mean(differences.map((v) => v * v))),
    biasPoints: mean(differences),
  };
}

function accuracyPoints(predicted: Uint8Array, truth: Uint8Array): number {
  let correct = 0;
  predicted.forEach((label, i) => (correct += label === truth[i] ? 1 : 0));
  return (100 * correct) / truth.length;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function std(values: readonly number[]): number {
  const m = mean(values);
  return Math.sqrt(mean(values.map((v) => (v - m) ** 2)));
}
