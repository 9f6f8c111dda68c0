/** Messages between the create form and its ONNX-decoding Web Worker (modelShapeWorker.ts). */
import type { ModelShape } from "@modelbazaar/sdk/listings";

export interface ShapeRequest {
  readonly bytes: Uint8Array;
  /** The file's name, in sentences. */
  readonly source: string;
}

export type ShapeAnswer = { readonly type: "shape"; readonly shape: ModelShape } | { readonly type: "refused"; readonly message: string } | { readonly type: "failed"; readonly message: string };
