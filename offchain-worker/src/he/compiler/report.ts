/**
 * The compile report: what happened to every ONNX node, the layers and their cost, the
 * activation approximations, the calibration used and (with real calibration data) how far
 * the HE-ready plan drifts from the original model. It is what `model check` prints.
 */
import { layerDepth, type HePlan, type PlanActivation } from "@modelbazaar/sdk/he";
import type { FitReport } from "./activationFit.ts";

export type NodeFate = "folded" | "lowered" | "polynomial" | "approximated" | "dropped" | "unused";

export interface NodeReport {
  readonly name: string;
  readonly opType: string;
  readonly fate: NodeFate;
  /** The plan layer the node ended up in (the monomials layer for activations). */
  readonly layer?: number;
  /** For approximated activations: largest |op(x) - polynomial(x)| over the fitted range. */
  readonly maxError?: number;
  /** For approximated activations: the fit method chosen and its error on held-out calibration inputs. */
  readonly fit?: FitReport;
  readonly detail: string;
}

export interface LayerReport {
  readonly index: number;
  readonly kind: "linear" | "monomials";
  readonly inputSize: number;
  readonly outputSize: number;
  /** Nonzero weights of a linear layer: the ct x pt multiplications it costs per ciphertext batch. */
  readonly nonzeroWeights: number;
  readonly depth: number;
  readonly source: readonly string[];
  readonly activation?: PlanActivation;
  /** For an approximated activation: the fit method chosen and its error on held-out calibration inputs. */
  readonly fit?: FitReport;
}

export interface CalibrationReport {
  readonly source: "provided" | "synthetic";
  readonly samples: number;
  readonly description: string;
}

/** The HE-ready plan (evaluated in plain floating point) against the original model in onnxruntime. */
export interface AccuracyComparison {
  readonly samples: number;
  /** Fraction of samples whose argmax agrees, in [0, 1]. */
  readonly argmaxAgreement: number;
  /** Largest |plan - original| over all samples and outputs, in the original model's output space. */
  readonly maxAbsScoreDifference: number;
  /** "scores", or the dropped Softmax/LogSoftmax re-applied to the plan's scores before comparing. */
  readonly comparedOn: "scores" | "Softmax" | "LogSoftmax";
}

export interface CompileReport {
  readonly producer: string;
  readonly opset: number;
  readonly input: { readonly name: string; readonly sampleDims: readonly number[]; readonly dynamicBatch: boolean };
  readonly output: { readonly name: string; readonly sampleDims: readonly number[] };
  readonly nodes: readonly NodeReport[];
  readonly layers: readonly LayerReport[];
  readonly depth: number;
  readonly nonzeroWeights: number;
  readonly maxMagnitude: number;
  readonly calibration: CalibrationReport;
  readonly notes: readonly string[];
  /** Present when calibration data was given and onnxruntime could run the original model. */
  readonly comparison?: AccuracyComparison;
}

/** The plan's layers, each monomials layer with the fit report of the node it approximates (if any). */
export function layerReports(plan: HePlan, nodes: readonly NodeReport[] = []): LayerReport[] {
  return plan.layers.map((layer, index) => {
    const base = { index, kind: layer.kind, inputSize: layer.inputSize, depth: layerDepth(layer), source: layer.source };
    if (layer.kind === "linear") {
      return { ...base, outputSize: layer.outputSize, nonzeroWeights: layer.weights.length };
    }
    const fit = nodes.find((n) => n.layer === index && n.fit !== undefined)?.fit;
    return { ...base, outputSize: layer.inputSize * layer.degree, nonzeroWeights: 0, activation: layer.activation, ...(fit ? { fit } : {}) };
  });
}

/** "Relu, degree 2, data-weighted fit: rms error 0.0213 (max 0.41) on held-out calibration inputs, max error 11.2 over [-11.3, 18.3]". */
function activationText(l: LayerReport): string {
  const a = l.activation;
  if (a?.maxError === undefined) return a?.op ?? "";
  const range = a.range ? ` over [${a.range.map((x) => x.toPrecision(3)).join(", ")}]` : "";
  const onData = l.fit ? `, ${l.fit.method} fit: rms error ${l.fit.rmsError.toPrecision(3)} (max ${l.fit.maxError.toPrecision(3)}) on held-out calibration inputs` : "";
  return `${a.op}, degree ${l.outputSize / l.inputSize}${onData}, max error ${a.maxError.toPrecision(3)}${range}`;
}

/** A short human-readable summary, e.g. for logs and the CLI. */
export function formatReport(report: CompileReport): string {
  const lines = [
    `ONNX model from ${report.producer}, opset ${report.opset}: input ${report.input.name} [${report.input.sampleDims.join(", ")}] -> ${report.output.sampleDims.join("x") || "1"} scores`,
    `depth ${report.depth}, ${report.layers.length} layers, ${report.nonzeroWeights} nonzero weights, max |value| ${report.maxMagnitude.toPrecision(4)}`,
    ...report.layers.map((l) => `  layer ${l.index}: ${l.kind} ${l.inputSize} -> ${l.outputSize}${l.kind === "linear" ? ` (${l.nonzeroWeights} nonzero)` : ` (${activationText(l)})`}`),
    `calibration: ${report.calibration.description}`,
    ...report.notes.map((n) => `note: ${n}`),
  ];
  if (report.comparison) {
    const c = report.comparison;
    const samples = `${c.samples} ${report.calibration.source === "provided" ? "calibration" : "synthetic"} samples`;
    lines.push(
      `expected agreement with the original model: ${(100 * c.argmaxAgreement).toFixed(2)}% of ${samples} (argmax of the plan in plain floating point vs onnxruntime), max |score difference| ${c.maxAbsScoreDifference.toPrecision(3)} (${c.comparedOn})`,
    );
  }
  return lines.join("\n");
}
