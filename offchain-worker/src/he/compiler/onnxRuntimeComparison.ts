/**
 * Runs the original model in onnxruntime-node on the calibration samples and compares it with
 * the HE-ready plan evaluated in plain floating point: argmax agreement and the largest score
 * difference. A dropped Softmax/LogSoftmax is re-applied to the plan's scores first, so both
 * sides are compared in the original model's output space.
 */
import * as ort from "onnxruntime-node";
import { evaluatePlanPlain, type HePlan } from "@modelbazaar/sdk/he";
import type { CompiledModel } from "./compileModel.ts";
import type { AccuracyComparison } from "./report.ts";
import { DYNAMIC_BATCH, numel } from "./values.ts";

const CHUNK = 256;

/** Softmax or LogSoftmax of one sample's scores over the sample axes [from, to). */
function normalizeScores(scores: Float64Array, sampleDims: readonly number[], axes: readonly [number, number], op: "Softmax" | "LogSoftmax"): Float64Array {
  const outer = numel(sampleDims.slice(0, axes[0]));
  const span = numel(sampleDims.slice(axes[0], axes[1]));
  const inner = numel(sampleDims.slice(axes[1]));
  const out = new Float64Array(scores.length);
  for (let o = 0; o < outer; ++o) {
    for (let i = 0; i < inner; ++i) {
      const at = (k: number) => (o * span + k) * inner + i;
      let max = -Infinity;
      for (let k = 0; k < span; ++k) max = Math.max(max, scores[at(k)]!);
      let total = 0;
      for (let k = 0; k < span; ++k) total += Math.exp(scores[at(k)]! - max);
      for (let k = 0; k < span; ++k) {
        const shifted = scores[at(k)]! - max;
        out[at(k)] = op === "Softmax" ? Math.exp(shifted) / total : shifted - Math.log(total);
      }
    }
  }
  return out;
}

function argmax(values: ArrayLike<number>, from: number, count: number): number {
  let best = 0;
  for (let k = 1; k < count; ++k) if (values[from + k]! > values[from + best]!) best = k;
  return best;
}

/** The original model's outputs for all samples, flattened per sample (samples x outputSize). */
async function runOriginal(bytes: Uint8Array, compiled: CompiledModel, samples: Float64Array): Promise<Float64Array> {
  const { input, outputs } = compiled.model;
  const inputSize = numel(input.sampleDims);
  const count = samples.length / inputSize;
  const chunk = input.batch === DYNAMIC_BATCH ? CHUNK : input.batch;
  const session = await ort.InferenceSession.create(bytes);
  try {
    const result = new Float64Array(count * compiled.plan.outputSize);
    for (let start = 0; start < count; start += chunk) {
      const n = input.batch === DYNAMIC_BATCH ? Math.min(chunk, count - start) : chunk;
      const rows = samples.subarray(start * inputSize, Math.min(count, start + n) * inputSize);
      const data = input.elemType === 11 ? new Float64Array(n * inputSize) : new Float32Array(n * inputSize);
      data.set(rows);
      const feed = new ort.Tensor(input.elemType === 11 ? "float64" : "float32", data, [n, ...input.sampleDims]);
      const out = (await session.run({ [input.name]: feed }))[outputs[0]!];
      if (out === undefined) throw new Error(`onnxruntime returned no output "${outputs[0]}"`);
      const values = out.data as ArrayLike<number>;
      const used = Math.min(n, count - start) * compiled.plan.outputSize;
      if (values.length < used) throw new Error(`onnxruntime returned ${values.length} values for ${n} samples of ${compiled.plan.outputSize} scores`);
      for (let i = 0; i < used; ++i) result[start * compiled.plan.outputSize + i] = Number(values[i]);
    }
    return result;
  } finally {
    await session.release();
  }
}

/** The plan's outputs in the original model's output space (with a dropped Softmax re-applied). */
function planOutputs(plan: HePlan, compiled: CompiledModel, samples: Float64Array): Float64Array {
  const count = samples.length / plan.inputSize;
  const out = new Float64Array(count * plan.outputSize);
  const tail = compiled.droppedTail;
  for (let s = 0; s < count; ++s) {
    let y = evaluatePlanPlain(plan, samples.subarray(s * plan.inputSize, (s + 1) * plan.inputSize));
    if (tail) y = normalizeScores(y, compiled.report.output.sampleDims, tail.sampleAxes, tail.op);
    out.set(y, s * plan.outputSize);
  }
  return out;
}

export async function compareWithOnnxRuntime(bytes: Uint8Array, compiled: CompiledModel): Promise<AccuracyComparison> {
  const samples = compiled.calibration;
  const original = await runOriginal(bytes, compiled, samples);
  const ours = planOutputs(compiled.plan, compiled, samples);
  const width = compiled.plan.outputSize;
  const count = samples.length / compiled.plan.inputSize;
  let agree = 0;
  let maxDiff = 0;
  for (let s = 0; s < count; ++s) {
    if (argmax(original, s * width, width) === argmax(ours, s * width, width)) ++agree;
    for (let k = 0; k < width; ++k) maxDiff = Math.max(maxDiff, Math.abs(original[s * width + k]! - ours[s * width + k]!));
  }
  return { samples: count, argmaxAgreement: agree / count, maxAbsScoreDifference: maxDiff, comparedOn: compiled.droppedTail?.op ?? "scores" };
}
