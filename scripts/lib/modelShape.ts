/**
 * An ONNX model's sample input and first output as onnxruntime-node loads them
 * (sdk/src/listings/modelFit.ts compares them with a listing's task): the input's features per
 * sample from its declared shape, the output's scores per sample from its declared shape or,
 * when that is not fixed, from running one all-zero sample. Every refusal is a sentence naming
 * the file.
 */
import * as ort from "onnxruntime-node";
import { type ModelShape, shapeText } from "@modelbazaar/sdk/listings";

export class ModelShapeError extends Error {
  override readonly name = "ModelShapeError";
}

const fixed = (dims: readonly (number | string)[]): dims is readonly number[] => dims.every((d) => typeof d === "number" && d > 0);
const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

export async function readModelShape(bytes: Uint8Array, source: string): Promise<ModelShape> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes);
  } catch (error) {
    throw new ModelShapeError(`${source} is not an ONNX model onnxruntime can load (${firstLine(error)})`);
  }
  try {
    const inputs = session.inputMetadata;
    if (inputs.length !== 1) throw new ModelShapeError(`${source} has ${inputs.length} inputs (${inputs.map((i) => i.name).join(", ")}); a listed model takes one tensor of features`);
    const input = inputs[0]!;
    if (!input.isTensor || (input.type !== "float32" && input.type !== "float64")) {
      throw new ModelShapeError(`${source}'s input "${input.name}" is ${input.isTensor ? `a ${input.type} tensor` : "not a tensor"}; a listed model takes a float tensor of features (they are encrypted as real numbers)`);
    }
    const sampleDims = input.shape.slice(1);
    if (input.shape.length < 2 || !fixed(sampleDims)) {
      throw new ModelShapeError(`${source}'s input "${input.name}" has shape ${shapeText(input.shape)}; a listed model takes a batch of samples of fixed size, such as [batch, 4]`);
    }
    const outputMeta = session.outputMetadata[0];
    if (!outputMeta) throw new ModelShapeError(`${source} has no output`);
    const declared = outputMeta.isTensor ? outputMeta.shape : [];
    let outputShape: readonly (number | string)[] = declared;
    let outputCount = declared.length >= 2 && fixed(declared.slice(1)) ? product(declared.slice(1) as number[]) : undefined;
    if (outputCount === undefined) {
      // The declared shape is missing or symbolic: ask the model itself.
      const zeros = input.type === "float64" ? new Float64Array(product(sampleDims)) : new Float32Array(product(sampleDims));
      let result: ort.InferenceSession.OnnxValueMapType;
      try {
        result = await session.run({ [input.name]: new ort.Tensor(input.type, zeros, [1, ...sampleDims]) });
      } catch (error) {
        throw new ModelShapeError(`${source} does not run on one sample of shape ${shapeText([1, ...sampleDims])} (${firstLine(error)})`);
      }
      const out = result[outputMeta.name] as ort.Tensor | undefined;
      if (!out?.dims) throw new ModelShapeError(`${source}'s output "${outputMeta.name}" is not a tensor`);
      outputShape = out.dims;
      outputCount = out.dims.length >= 2 ? product(out.dims.slice(1)) : product(out.dims);
    }
    return { input: { name: input.name, shape: input.shape }, output: { name: outputMeta.name, shape: outputShape }, featureCount: product(sampleDims), outputCount };
  } finally {
    await session.release();
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0]!.trim();
}
