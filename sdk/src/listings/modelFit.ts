/**
 * Whether a listing's task fits its model file: the task's `featureCount` must be what the
 * ONNX model's input takes per sample, and its `classCount` the scores its (first) output gives
 * per sample, or every test-drive of the listing fails after its deposit is staked. `bazaar
 * list` reads the model's shape (scripts/lib/modelShape.ts) and runs this before any
 * transaction; each refusal names both numbers and the fix.
 */

/** An ONNX model's sample input and first output, as a seller's tools read them. */
export interface ModelShape {
  readonly input: { readonly name: string; readonly shape: readonly (number | string)[] };
  readonly output: { readonly name: string; readonly shape: readonly (number | string)[] };
  /** Values per sample the input takes: the product of its dimensions after the batch axis. */
  readonly featureCount: number;
  /** Scores per sample the first output gives: one per class. */
  readonly outputCount: number;
}

export class ModelFitError extends Error {
  override readonly name = "ModelFitError";
}

/** `[batch, 4]` */
export const shapeText = (shape: readonly (number | string)[]): string => `[${shape.join(", ")}]`;

/**
 * Refuses a task that contradicts the model: `terms` and `model` name the terms file and the
 * model file in the sentence.
 */
export function checkTaskAgainstModel(task: { featureCount: number; classCount: number }, shape: ModelShape, { terms, model }: { terms: string; model: string }): void {
  if (task.featureCount !== shape.featureCount) {
    throw new ModelFitError(
      `${terms}: "task.featureCount" is ${task.featureCount}, but ${model} takes ${shape.featureCount} features per sample (input "${shape.input.name}", shape ${shapeText(shape.input.shape)}): a buyer's test set of ${task.featureCount} features could never be evaluated; set it to ${shape.featureCount}`,
    );
  }
  if (task.classCount !== shape.outputCount) {
    throw new ModelFitError(
      `${terms}: "task.classCount" is ${task.classCount}, but ${model} gives ${shape.outputCount} class scores per sample (output "${shape.output.name}", shape ${shapeText(shape.output.shape)}): its predictions could never match ${task.classCount} classes; set it to ${shape.outputCount}`,
    );
  }
}
