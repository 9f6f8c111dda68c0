/**
 * The synchronous core of the compiler: ONNX bytes + options -> HE plan + report (without the
 * onnxruntime comparison, which needs the async runtime; see compileOnnx.ts).
 */
import { chooseParameters, isHeError, summarizePlan, type HePlan } from "@modelbazaar/sdk/he";
import { calibrationSamples } from "./calibration.ts";
import { checkEvaluable } from "./evaluability.ts";
import { lowerGraph, type LoweredGraph, type LoweringOptions, type NodeProgress } from "./lowerGraph.ts";
import { decodeModel, type OnnxModel } from "./onnx/decodeModel.ts";
import type { FitMethod } from "./polynomialFit.ts";
import { layerReports, type CompileReport } from "./report.ts";
import { DYNAMIC_BATCH, numel } from "./values.ts";

export interface CompileOptions {
  /** Row-major samples x inputSize, in the model input's C order. */
  readonly calibration?: Float64Array;
  /**
   * Degree of the polynomials replacing Relu, Sigmoid and Tanh: 2 (one level each), 3 (two
   * levels, closer fits), or "auto" (the default): 3 when that plan still gets parameters at
   * the ring degree the degree-2 plan needs, else 2.
   */
  readonly polynomialDegree?: PolynomialDegree;
  /**
   * The fits tried for each approximated activation, the best on held-out calibration inputs
   * winning (activationFit.ts); all of FIT_METHODS by default. ["least-squares"] is the fit the
   * compiler used alone before issue #14, which scripts/bench/reluAgreement.ts compares with.
   */
  readonly fitMethods?: readonly FitMethod[];
  /** Called as decoding starts, then as each node is lowered (a large model takes a minute). */
  readonly onProgress?: (event: CompileProgress) => void;
}

export type CompileProgress = { readonly stage: "decode"; readonly bytes: number } | ({ readonly stage: "lower" } & NodeProgress);

export type PolynomialDegree = 2 | 3 | "auto";

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
  const degree = options.polynomialDegree ?? "auto";
  if (degree !== 2 && degree !== 3 && degree !== "auto") throw new RangeError(`polynomialDegree must be 2, 3 or "auto", got ${String(degree)}`);
  const { onProgress } = options;
  onProgress?.({ stage: "decode", bytes: bytes.length });
  const model = decodeModel(bytes);
  const inputSize = numel(model.input.sampleDims);
  const calibration = calibrationSamples(inputSize, options.calibration);
  const onNode = onProgress && ((node: NodeProgress) => onProgress({ stage: "lower", ...node }));
  if (options.fitMethods?.length === 0) throw new RangeError("fitMethods must name at least one fit method");
  const lowering = { fitMethods: options.fitMethods, onNode };
  const lowered = degree === "auto" ? lowerAtAutoDegree(model, calibration.samples, lowering) : lowerGraph(model, calibration.samples, { ...lowering, degree });
  checkEvaluable(lowered.plan);
  const layers = layerReports(lowered.plan, lowered.nodes);
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

/** The ring degree N a plan's parameters need, or undefined when no parameters fit. */
function ringDegree(plan: HePlan): number | undefined {
  try {
    return chooseParameters(summarizePlan(plan)).polyModulusDegree;
  } catch (error) {
    if (isHeError(error)) return undefined;
    throw error;
  }
}

/**
 * Degree-3 approximations when they cost no larger ring than degree 2 (the extra level each
 * costs fits the same N's budget), degree 2 otherwise; models without approximated
 * activations are lowered once.
 */
function lowerAtAutoDegree(model: OnnxModel, calibration: Float64Array, lowering: Omit<LoweringOptions, "degree">): LoweredGraph {
  const quadratic = lowerGraph(model, calibration, { ...lowering, degree: 2 });
  if (!quadratic.nodes.some((n) => n.fate === "approximated")) return quadratic;
  const cubic = lowerGraph(model, calibration, { ...lowering, degree: 3 });
  const ring = ringDegree(quadratic.plan);
  const cubicRing = ringDegree(cubic.plan);
  if (ring !== undefined && cubicRing !== undefined && cubicRing <= ring) {
    return { ...cubic, notes: [...cubic.notes, `activations approximated at degree 3: the plan still fits N = ${cubicRing}, as at degree 2`] };
  }
  const why = cubicRing === undefined ? "no CKKS parameters fit the degree-3 plan" : `degree 3 would need N = ${cubicRing} instead of ${ring}`;
  return { ...quadratic, notes: [...quadratic.notes, `activations approximated at degree 2: ${why}`] };
}
