/**
 * How the create form reads a seller's files in the browser, for the SDK's prepareListing: the
 * model's shape from the ONNX file's declared signature (nothing is run: a model whose output
 * shape is not declared is sent to the CLI, which runs it), the model card where a browser
 * reads it (testDrive/cardLocation.ts).
 */
import { fixedModelShape, readOnnxSignature, type ModelShape } from "@modelbazaar/sdk/listings";

export { readCardDocument } from "../../testDrive/cardLocation.ts";

export function readModelShapeInBrowser(bytes: Uint8Array, source: string): ModelShape {
  return fixedModelShape(readOnnxSignature(bytes, source), source, { runIt: `list it with \`bazaar list ${source} --terms <terms.json>\`, which runs the model to count them` });
}
