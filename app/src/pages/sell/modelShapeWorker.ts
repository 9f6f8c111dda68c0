/**
 * A Web Worker that decodes a picked ONNX file's signature (modelShape.ts) off the page's main
 * thread, answering the shape, or the refusal's sentence (a ModelShapeError), or a fault.
 * Started per file by modelInBrowser.ts.
 */
import { ModelShapeError } from "@modelbazaar/sdk/listings";
import { readModelShape } from "./modelShape.ts";
import type { ShapeAnswer, ShapeRequest } from "./modelShapeProtocol.ts";

/** The part of DedicatedWorkerGlobalScope used here (the project compiles against the DOM lib). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<ShapeRequest>) => void) | null;
  postMessage(message: ShapeAnswer): void;
}
const scope = globalThis as unknown as WorkerScope;

scope.onmessage = ({ data: { bytes, source } }) => {
  try {
    scope.postMessage({ type: "shape", shape: readModelShape(bytes, source) });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    scope.postMessage(error instanceof ModelShapeError ? { type: "refused", message } : { type: "failed", message });
  }
};
