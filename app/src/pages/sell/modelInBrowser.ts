/**
 * How the create form reads a seller's files in the browser, for the SDK's prepareListing: the
 * model file only up to MAX_MODEL_BYTES (refused in a sentence before a byte is read), its
 * shape decoded in a Web Worker (modelShapeWorker.ts) so the page never freezes on a large
 * file, and the model card where a browser reads it (testDrive/cardLocation.ts).
 */
import { ModelShapeError, type ModelShape } from "@modelbazaar/sdk/listings";
import { byteText } from "@modelbazaar/sdk/labels";
import type { ShapeAnswer, ShapeRequest } from "./modelShapeProtocol.ts";

export { readCardDocument } from "../../testDrive/cardLocation.ts";

/** The largest model this page reads (the page holds it, and lists its chunk root, in memory): 32 MiB. */
export const MAX_MODEL_BYTES = 32 * 2 ** 20;

/** Why the page will not read a model file of `size` bytes named `name`, or undefined. */
export function modelSizeRefusal(name: string, size: number): string | undefined {
  if (size <= MAX_MODEL_BYTES) return undefined;
  return `${name} is ${byteText(size)}: this page reads models of up to ${byteText(MAX_MODEL_BYTES)}; list a larger one with \`bazaar list ${name} --terms <terms.json>\``;
}

/** The model's shape, decoded in a Web Worker; throws ModelShapeError with the sentence when it cannot be listed. */
export function readModelShapeInBrowser(bytes: Uint8Array, source: string): Promise<ModelShape> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./modelShapeWorker.ts", import.meta.url), { type: "module" });
    worker.onmessage = ({ data }: MessageEvent<ShapeAnswer>) => {
      worker.terminate();
      if (data.type === "shape") resolve(data.shape);
      else reject(data.type === "refused" ? new ModelShapeError(data.message) : new Error(`the model could not be read: ${data.message}`));
    };
    worker.onerror = (event: ErrorEvent) => {
      worker.terminate();
      reject(new Error(`the model reader failed: ${event.message}`));
    };
    const request: ShapeRequest = { bytes, source };
    worker.postMessage(request);
  });
}
