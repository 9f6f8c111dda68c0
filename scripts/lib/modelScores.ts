/**
 * Runs an ONNX model in onnxruntime-node on a batch of samples, as a verifier of a watermark or
 * a fingerprint meets a suspect model: the sample shape and element type come from the model's
 * own input, the scores from its first output. Every refusal is a sentence naming the file.
 */
import * as ort from "onnxruntime-node";
import { ModelShapeError } from "@modelbazaar/sdk/listings";
import { readModelShape } from "./modelShape.ts";

export interface ModelScores {
  /** Row-major, `classCount` per sample. */
  readonly scores: Float64Array;
  readonly classCount: number;
}

/** The model's scores on `samples` (row-major, `featureCount` values each). */
export async function modelScores(bytes: Uint8Array, samples: ArrayLike<number>, featureCount: number, source: string): Promise<ModelScores> {
  const shape = await readModelShape(bytes, source);
  if (shape.featureCount !== featureCount) throw new ModelShapeError(`${source} takes ${shape.featureCount} features per sample, but the inputs have ${featureCount}`);
  const count = samples.length / featureCount;
  const session = await ort.InferenceSession.create(bytes);
  try {
    const meta = session.inputMetadata.find((m) => m.name === shape.input.name);
    const type = meta?.isTensor && meta.type === "float64" ? "float64" : "float32";
    const data = type === "float64" ? Float64Array.from(samples) : Float32Array.from(samples);
    const declared = shape.input.shape.slice(1);
    const sampleDims = declared.every((d) => typeof d === "number") ? declared : [featureCount];
    const result = await session.run({ [shape.input.name]: new ort.Tensor(type, data, [count, ...sampleDims]) });
    const out = result[shape.output.name] as ort.Tensor;
    return { scores: Float64Array.from(out.data as ArrayLike<number>, Number), classCount: shape.outputCount };
  } finally {
    await session.release();
  }
}
