/**
 * An ONNX model's sample input and first output as onnxruntime-node loads them
 * (sdk/src/listings/modelFit.ts compares them with a listing's task): the signature checked by
 * the SDK's declaredModelShape (the checks and sentences the dApp uses too), the output's
 * scores per sample from its declared shape or, when that is not fixed, from running one
 * all-zero sample. Every refusal is a sentence naming the file.
 */
import * as ort from "onnxruntime-node";
import { declaredModelShape, ModelShapeError, type ModelShape, shapeText } from "@modelbazaar/sdk/listings";

export { ModelShapeError };

const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

export async function readModelShape(bytes: Uint8Array, source: string): Promise<ModelShape> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes);
  } catch (error) {
    throw new ModelShapeError(`${source} is not an ONNX model onnxruntime can load (${firstLine(error)})`);
  }
  try {
    const declared = declaredModelShape({ inputs: session.inputMetadata.map(signatureOf), outputs: session.outputMetadata.map(signatureOf) }, source);
    const { input, output, featureCount, sampleDims, inputType } = declared;
    if (declared.outputCount !== undefined) return { input, output, featureCount, outputCount: declared.outputCount };
    // The declared shape is missing or symbolic: ask the model itself.
    const zeros = inputType === "float64" ? new Float64Array(featureCount) : new Float32Array(featureCount);
    let result: ort.InferenceSession.OnnxValueMapType;
    try {
      result = await session.run({ [input.name]: new ort.Tensor(inputType, zeros, [1, ...sampleDims]) });
    } catch (error) {
      throw new ModelShapeError(`${source} does not run on one sample of shape ${shapeText([1, ...sampleDims])} (${firstLine(error)})`);
    }
    const out = result[output.name] as ort.Tensor | undefined;
    if (!out?.dims) throw new ModelShapeError(`${source}'s output "${output.name}" is not a tensor`);
    return { input, output: { name: output.name, shape: out.dims }, featureCount, outputCount: out.dims.length >= 2 ? product(out.dims.slice(1)) : product(out.dims) };
  } finally {
    await session.release();
  }
}

/** onnxruntime's metadata entry in the SDK's terms. */
function signatureOf(meta: ort.InferenceSession.ValueMetadata): { name: string; isTensor: boolean; type: string; shape: readonly (number | string)[] } {
  return meta.isTensor ? { name: meta.name, isTensor: true, type: meta.type, shape: meta.shape } : { name: meta.name, isTensor: false, type: "", shape: [] };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0]!.trim();
}
