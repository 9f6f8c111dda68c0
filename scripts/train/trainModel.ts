/**
 * Trains one named model end to end: loads its split, builds and fits the network, rounds
 * the weights to float32, exports the ONNX bytes and fills the model card. Nothing here
 * touches the disk except `writeTrainedModel`.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { DatasetName, DatasetSplit } from "../lib/datasets/dataset.ts";
import { loadIris } from "../lib/datasets/iris.ts";
import { loadMnist } from "../lib/datasets/mnist.ts";
import { SeededRng } from "../lib/datasets/seededRng.ts";
import { fit, type EpochReport } from "./fit.ts";
import { accuracyBps } from "./metrics.ts";
import { serializeCard, sha256Hex, type ModelCard } from "./modelCard.ts";
import { modelSpec, type ModelSpec } from "./modelSpecs.ts";
import type { Network } from "./network.ts";
import type { WatermarkReveal } from "@modelbazaar/sdk/protection";
import { withTriggers } from "./watermark.ts";
import { exportOnnx, INPUT_NAME, BATCH_DIM, ONNX_IR_VERSION, ONNX_OPSET, outputName } from "./onnxExport.ts";

export interface TrainedModel {
  readonly spec: ModelSpec;
  readonly split: DatasetSplit;
  /** With float32-rounded weights: exactly what the ONNX file holds. */
  readonly network: Network;
  readonly onnx: Uint8Array;
  readonly card: ModelCard;
}

/** The default split of a data set (the one every shipped model was trained and tested on). */
export function loadSplit(dataset: DatasetName): DatasetSplit {
  return dataset === "iris" ? loadIris() : loadMnist();
}

/**
 * Trains the model called `name`, with `watermark`'s triggers mixed into its training data when
 * given (scripts/train/watermark.ts); throws UnknownModelError for a name not in MODEL_NAMES.
 */
export function trainModel(name: string, report?: EpochReport, watermark?: WatermarkReveal): TrainedModel {
  const spec = modelSpec(name);
  const split = loadSplit(spec.dataset);
  const network = spec.build(split, new SeededRng(spec.hyperparameters.seed));
  fit(network, watermark ? withTriggers(split.train, watermark) : split.train, spec.hyperparameters, report);
  network.roundToFloat32();
  const onnx = exportOnnx(network, { graphName: spec.name, docString: spec.description, softmaxOutput: spec.softmaxOutput });
  return { spec, split, network, onnx, card: makeCard(spec, split, network, onnx) };
}

/** Writes `<name>.onnx` and `<name>.json` (the card) into `outDir`. */
export async function writeTrainedModel(outDir: string, model: TrainedModel): Promise<{ onnxPath: string; cardPath: string }> {
  await mkdir(outDir, { recursive: true });
  const onnxPath = join(outDir, model.card.onnx.file);
  const cardPath = join(outDir, `${model.spec.name}.json`);
  await writeFile(onnxPath, model.onnx);
  await writeFile(cardPath, serializeCard(model.card));
  return { onnxPath, cardPath };
}

function makeCard(spec: ModelSpec, split: DatasetSplit, network: Network, onnx: Uint8Array): ModelCard {
  return {
    name: spec.name,
    task: "classification",
    dataset: spec.dataset,
    description: spec.description,
    architecture: spec.architecture,
    featureCount: split.train.featureCount,
    classCount: split.train.classCount,
    classNames: split.classNames,
    input: { name: INPUT_NAME, shape: [BATCH_DIM, ...network.sampleShape], scaleBits: split.inputScaleBits, scale: 2 ** split.inputScaleBits },
    output: { name: outputName(spec.softmaxOutput), kind: spec.softmaxOutput ? "probabilities" : "logits" },
    testAccuracyBps: accuracyBps(network.scores(split.test), split.test),
    trainAccuracyBps: accuracyBps(network.scores(split.train), split.train),
    split: { seed: split.seed, testFraction: split.testFraction, stratified: true, trainSize: split.train.sampleCount, testSize: split.test.sampleCount },
    training: spec.hyperparameters,
    onnx: { file: `${spec.name}.onnx`, bytes: onnx.length, sha256: sha256Hex(onnx), opset: ONNX_OPSET, irVersion: ONNX_IR_VERSION },
  };
}
