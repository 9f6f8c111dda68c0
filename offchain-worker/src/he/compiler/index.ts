/** ONNX -> HE plan compiler (issue #4): the public surface. */
export { compileOnnx, type CompileResult } from "./compileOnnx.ts";
export { compileModel, type CompileOptions, type CompiledModel, type CompileProgress, type PolynomialDegree } from "./compileModel.ts";
export { MalformedModelError, UnsupportedModelError, type UnsupportedNode } from "./errors.ts";
export { formatReport, type AccuracyComparison, type CalibrationReport, type CompileReport, type LayerReport, type NodeFate, type NodeReport } from "./report.ts";
export { CalibrationCsvError, modelInputSize, parseCalibrationCsv, type CalibrationCsv } from "./calibrationCsv.ts";
