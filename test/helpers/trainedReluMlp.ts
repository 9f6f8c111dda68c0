/**
 * A small Relu network trained in a few seconds by the project's trainer on real MNIST digits:
 * Gemm 784->24 -> Relu -> Gemm 24->10 (scripts/lib/reluNetworks.ts trains it).
 */
import { trainReluNetwork, type TrainedReluNetwork } from "../../scripts/lib/reluNetworks.ts";
import { Dense } from "../../scripts/train/layers/dense.ts";
import { Relu } from "../../scripts/train/layers/relu.ts";

export type TrainedReluMlp = TrainedReluNetwork;

const PIXELS = 784;
const HIDDEN = 24;

export function trainReluMlp(calibrationSamples: number, heldOutSamples: number): TrainedReluMlp {
  return trainReluNetwork(
    {
      name: "relu-mlp",
      architecture: `Gemm ${PIXELS}->${HIDDEN}, Relu, Gemm ${HIDDEN}->10`,
      sampleShape: [PIXELS],
      layers: (rng) => [new Dense("fc1", PIXELS, HIDDEN, rng, 1.4), new Relu(HIDDEN), new Dense("fc2", HIDDEN, 10, rng, 1)],
      trainSamples: 3_000,
      hyperparameters: { optimizer: "adam", epochs: 3, batchSize: 32, learningRate: 0.003, l2: 1e-4, seed: 22 },
    },
    calibrationSamples,
    heldOutSamples,
  );
}
