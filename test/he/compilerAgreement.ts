/**
 * The compiler tests' reference check: build a graph, compile it, run it in onnxruntime-node
 * on seeded samples, and require evaluatePlanPlain(plan, x) to agree element-wise.
 */
import assert from "node:assert/strict";
import { evaluatePlanPlain, type HePlan } from "@modelbazaar/sdk/he";
import { compileOnnx, type CompileReport } from "../../offchain-worker/src/he/compiler/index.ts";
import { buildModel, DOUBLE, runModel, tensor, type ModelSpec } from "../../scripts/lib/onnxGraph.ts";
import { seededRandom } from "../helpers/seededRandom.ts";

export const SAMPLES = 6;

/** Seeded values; dyadic (multiples of 1/8 in [-4, 4]) so float32 kernels compute them exactly. */
export function values(count: number, seed: number, dyadic = true): Float64Array {
  const random = seededRandom(seed);
  return Float64Array.from({ length: count }, () => (dyadic ? Math.round(random() * 64 - 32) / 8 : random() * 4 - 2));
}

export function numel(dims: readonly number[]): number {
  return dims.reduce((p, d) => p * d, 1);
}

export interface Checked {
  plan: HePlan;
  report: CompileReport;
}

/** Compiles the graph, runs it in onnxruntime on SAMPLES samples and compares with the plan. */
export async function agrees(spec: Omit<ModelSpec, "input" | "output"> & { inputDims: readonly number[]; type?: number }, tolerance = 1e-9): Promise<Checked> {
  const type = spec.type ?? DOUBLE;
  const bytes = buildModel({ ...spec, input: { name: "x", dims: ["N", ...spec.inputDims], type }, output: { name: "y", type } });
  const size = numel(spec.inputDims);
  const x = values(SAMPLES * size, 11);
  const { plan, report } = await compileOnnx(bytes);
  const expected = await runModel(bytes, "x", x, [SAMPLES, ...spec.inputDims], type);
  assert.equal(plan.inputSize, size);
  assert.equal(expected.length, SAMPLES * plan.outputSize, "the plan's output size matches onnxruntime's");
  for (let s = 0; s < SAMPLES; ++s) {
    const y = evaluatePlanPlain(plan, x.subarray(s * size, (s + 1) * size));
    for (let j = 0; j < y.length; ++j) {
      const e = expected[s * plan.outputSize + j]!;
      assert.ok(Math.abs(y[j]! - e) <= tolerance * Math.max(1, Math.abs(e)), `sample ${s} output ${j}: plan ${y[j]} vs onnxruntime ${e}`);
    }
  }
  return { plan, report };
}

export const weights = (name: string, dims: number[], seed: number, type = DOUBLE) => tensor(name, dims, values(numel(dims), seed), type);
