/**
 * The synchronous core of the compiler: ONNX bytes + options -> HE plan + report (without the
 * onnxruntime comparison, which needs the async runtime; see compileOnnx.ts).
 */
import type { HePlan } from "@modelbazaar/sdk/he";
import { calibrationSamples } from "./calibration.ts";
import { checkEvaluable } from "./evaluability.ts";
import { lowerGraph, type NodeProgress } from "./lowerGraph.ts";
import { decodeModel, type OnnxModel } from "./onnx/decodeModel.ts";
import { layerReports, type CompileReport } from "./report.ts";
import { DYNAMIC_BATCH, numel } from "./values.ts";

export interface CompileOptions {
  /** Row-major samples x inputSize, in the model input's C order. */
  readonly calibration?: Float64Array;
  /** Degree of the polynomials replacing Relu, Sigmoid and Tanh (default 2: one level each). */
  readonly polynomialDegree?: 2 | 3;
  /** Called as decoding starts, then as each node is lowered (a large model takes a minute). */
  readonly onProgress?: (event: CompileProgress) => void;
}

export type CompileProgress = { readonly stage: "decode"; readonly bytes: number } | ({ readonly stage: "lower" } & NodeProgress);

export interface CompiledModel {
  readonly plan: HePlan;
  readonly report: CompileReport;
  /** The decoded model and the calibration actually used, for the onnxruntime comparison. */
  readonly model: OnnxModel;
  readonly calibration: Float64Array;
  readonly droppedTail?: { readonly op: "Softmax" | "LogSoftmax"; readonly sampleAxes: readonly [number, number] };
}

/**
 * @throws MalformedModelError, UnsupportedModelError (also for a plan the engine could not
 *   evaluate: evaluability.ts), RangeError for bad options
 */
export function compileModel(bytes: Uint8Array, options: CompileOptions = {}): CompiledModel {
  const degree = options.polynomialDegree ?? 2;
  if (degree !== 2 && degree !== 3) throw new RangeError(`polynomialDegree must be 2 or 3, got ${String(degree)}`);
  const { onProgress } = options;
  onProgress?.({ stage: "decode", bytes: bytes.length });
  const model = decodeModel(bytes);
  const inputSize = numel(model.input.sampleDims);
  const calibration = calibrationSamples(inputSize, options.calibration);
  const lowered = lowerGraph(model, calibration.samples, degree, onProgress && ((node) => onProgress({ stage: "lower", ...node })));
  checkEvaluable(lowered.plan);
  const layers = layerReports(lowered.plan);
  const report: CompileReport = {
    producer: model.producer,
    opset: model.opset,
    input: { name: model.input.name, sampleDims: model.input.sampleDims, dynamicBatch: model.input.batch === DYNAMIC_BATCH },
    output: { name: model.outputs[0]!, sampleDims: lowered.outputSampleDims },
    nodes: lowered.nodes,
    layers,
    depth: lowered.plan.depth,
    nonzeroWeights: layers.reduce((s, l) => s + l.nonzeroWeights, 0),
    maxMagnitude: lowered.plan.maxMagnitude,
    calibration: calibration.report,
    notes: lowered.notes,
  };
  return { plan: lowered.plan, report, model, calibration: calibration.samples, droppedTail: lowered.droppedTail };
}
