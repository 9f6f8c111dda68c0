/**
 * What a listed model must look like from outside, judged the same wherever the file is read:
 * one float tensor of features per sample (`[batch, …fixed dims]`) and a first output giving
 * one score per class. The reader differs (the CLI asks onnxruntime-node, the dApp decodes the
 * ONNX file's declared signature in the browser: onnxSignature.ts); the checks and their
 * sentences are these. When the output's shape is not declared as fixed, only running the
 * model tells its class count: {declaredModelShape} leaves `outputCount` undefined for the
 * caller that can run it, and {fixedModelShape} refuses with a sentence for one that cannot.
 */
import { shapeText, type ModelShape } from "./modelFit.ts";

/** A graph input or output as a reader sees it (onnxruntime's `inputMetadata` entries have this form). */
export interface TensorSignature {
  readonly name: string;
  readonly isTensor: boolean;
  /** The element type in onnxruntime's words: "float32", "float64", "int64", … */
  readonly type: string;
  /** Fixed sizes as numbers, symbolic ones (a dynamic batch) as their names. */
  readonly shape: readonly (number | string)[];
}

/** The model's inputs (initializers excluded) and outputs, in graph order. */
export interface ModelSignature {
  readonly inputs: readonly TensorSignature[];
  readonly outputs: readonly TensorSignature[];
}

export class ModelShapeError extends Error {
  override readonly name = "ModelShapeError";
}

/** What the signature alone says of a model's shape. */
export interface DeclaredModelShape extends Omit<ModelShape, "outputCount"> {
  readonly inputType: "float32" | "float64";
  /** The dims of one sample (after the batch axis). */
  readonly sampleDims: readonly number[];
  /** Scores per sample, when the output's declared shape fixes them; undefined when only running the model tells. */
  readonly outputCount: number | undefined;
}

const fixed = (dims: readonly (number | string)[]): dims is readonly number[] => dims.every((d) => typeof d === "number" && d > 0);
const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** Checks the signature of the model `source` names as a listed model's; each refusal a sentence naming it. */
export function declaredModelShape(signature: ModelSignature, source: string): DeclaredModelShape {
  const { inputs, outputs } = signature;
  if (inputs.length !== 1) throw new ModelShapeError(`${source} has ${inputs.length} inputs (${inputs.map((i) => i.name).join(", ")}); a listed model takes one tensor of features`);
  const input = inputs[0]!;
  if (!input.isTensor || (input.type !== "float32" && input.type !== "float64")) {
    throw new ModelShapeError(`${source}'s input "${input.name}" is ${input.isTensor ? `a ${input.type} tensor` : "not a tensor"}; a listed model takes a float tensor of features (they are encrypted as real numbers)`);
  }
  const sampleDims = input.shape.slice(1);
  if (input.shape.length < 2 || !fixed(sampleDims)) {
    throw new ModelShapeError(`${source}'s input "${input.name}" has shape ${shapeText(input.shape)}; a listed model takes a batch of samples of fixed size, such as [batch, 4]`);
  }
  const output = outputs[0];
  if (!output) throw new ModelShapeError(`${source} has no output`);
  const declared = output.isTensor ? output.shape : [];
  const scoreDims = declared.slice(1);
  return {
    input: { name: input.name, shape: input.shape },
    inputType: input.type,
    sampleDims,
    featureCount: product(sampleDims),
    output: { name: output.name, shape: declared },
    outputCount: declared.length >= 2 && fixed(scoreDims) ? product(scoreDims) : undefined,
  };
}

/** The model's shape from its signature alone, for a reader that cannot run the model (the browser). */
export function fixedModelShape(signature: ModelSignature, source: string, { runIt }: { runIt: string }): ModelShape {
  const declared = declaredModelShape(signature, source);
  if (declared.outputCount === undefined) {
    throw new ModelShapeError(
      `${source}'s output "${declared.output.name}" declares no fixed shape (${shapeText(declared.output.shape)}), so its class count is known only by running it; ${runIt}`,
    );
  }
  return { input: declared.input, output: declared.output, featureCount: declared.featureCount, outputCount: declared.outputCount };
}
