/**
 * The model's shape from the ONNX file's declared signature (nothing is run: a model whose
 * output shape is not declared is sent to the CLI, which runs it). Decoding the protobuf walks
 * the whole file, weights included, so the page runs this in a Web Worker (modelShapeWorker.ts).
 */
import { fixedModelShape, readOnnxSignature, type ModelShape } from "@modelbazaar/sdk/listings";

export function readModelShape(bytes: Uint8Array, source: string): ModelShape {
  return fixedModelShape(readOnnxSignature(bytes, source), source, { runIt: `list it with \`bazaar list ${source} --terms <terms.json>\`, which runs the model to count them` });
}
