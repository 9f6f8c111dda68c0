/**
 * The compiler's entry point: ONNX bytes -> HE plan and report. With calibration data it also
 * measures, in onnxruntime-node, how much the HE-ready plan differs from the original model
 * (when onnxruntime cannot run the model, the report says so in a note instead).
 */
import type { HePlan } from "@modelbazaar/sdk/he";
import { compileModel, type CompiledModel, type CompileOptions } from "./compileModel.ts";
import { compareWithOnnxRuntime } from "./onnxRuntimeComparison.ts";
import type { CompileReport } from "./report.ts";

export interface CompileResult {
  readonly plan: HePlan;
  readonly report: CompileReport;
}

/**
 * @throws MalformedModelError when the bytes are not a readable ONNX model
 * @throws UnsupportedModelError naming every node that cannot be evaluated under CKKS
 * @throws RangeError for bad options (calibration not whole samples, degree not 2 or 3)
 * @example
 * const { plan, report } = await compileOnnx(readFileSync("model.onnx"), { calibration });
 */
export async function compileOnnx(model: Uint8Array, options: CompileOptions = {}): Promise<CompileResult> {
  const compiled = compileModel(model, options);
  if (options.calibration === undefined) return { plan: compiled.plan, report: compiled.report };
  return withComparison(model, compiled);
}

/** The compiled model's plan and report, the report completed by the onnxruntime comparison on its calibration samples. */
export async function withComparison(model: Uint8Array, compiled: CompiledModel): Promise<CompileResult> {
  try {
    const comparison = await compareWithOnnxRuntime(model, compiled);
    return { plan: compiled.plan, report: { ...compiled.report, comparison } };
  } catch (error) {
    // The plan stands on its own; say why the accuracy check is missing rather than fail.
    const note = `no accuracy comparison: onnxruntime could not run the original model (${error instanceof Error ? error.message : String(error)})`;
    return { plan: compiled.plan, report: { ...compiled.report, notes: [...compiled.report.notes, note] } };
  }
}
