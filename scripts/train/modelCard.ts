/**
 * The model card written beside every .onnx: what the model does, the input a buyer must
 * send (feature count, shape, fixed-point scale), its held-out accuracy, the split and the
 * training recipe, and the SHA-256 of the file. It holds no timing, so it is as
 * reproducible as the model.
 */
import { createHash } from "node:crypto";
import type { DatasetName } from "../lib/datasets/dataset.ts";
import type { TrainingHyperparameters } from "./fit.ts";

export interface ModelCard {
  readonly name: string;
  readonly task: "classification";
  readonly dataset: DatasetName;
  readonly description: string;
  readonly architecture: string;
  readonly featureCount: number;
  readonly classCount: number;
  readonly classNames: readonly string[];
  readonly input: {
    readonly name: string;
    /** With the dynamic batch dimension first. */
    readonly shape: readonly (string | number)[];
    /** Buyers quantize a feature x to round(x * scale), scale = 2^scaleBits. */
    readonly scaleBits: number;
    readonly scale: number;
  };
  readonly output: { readonly name: string; readonly kind: "probabilities" | "logits" };
  /** floor(10,000 * correct / samples) on the held-out test split. */
  readonly testAccuracyBps: number;
  readonly trainAccuracyBps: number;
  readonly split: { readonly seed: number; readonly testFraction: number; readonly stratified: true; readonly trainSize: number; readonly testSize: number };
  readonly training: TrainingHyperparameters;
  readonly onnx: { readonly file: string; readonly bytes: number; readonly sha256: string; readonly opset: number; readonly irVersion: number };
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The card as written to disk (stable key order, two-space indent, final newline). */
export function serializeCard(card: ModelCard): string {
  return `${JSON.stringify(card, null, 2)}\n`;
}
