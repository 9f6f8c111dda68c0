/**
 * An ONNX file's declared signature (its graph's inputs, initializers left out, and outputs,
 * with element types and shapes) decoded from the protobuf alone, without running anything:
 * what a browser can learn of a seller's model before listing it (modelSignature.ts judges
 * it). The full HE compatibility check compiles the graph and runs in Node (`bazaar model
 * check`); this reads only the two ends.
 */
import onnxProto from "onnx-proto";
import { ModelShapeError, type ModelSignature, type TensorSignature } from "./modelSignature.ts";

const { onnx } = onnxProto;

/** TensorProto.DataType -> onnxruntime's name for it. */
const ELEMENT_TYPES: Readonly<Record<number, string>> = {
  1: "float32", 2: "uint8", 3: "int8", 4: "uint16", 5: "int16", 6: "int32", 7: "int64", 8: "string",
  9: "bool", 10: "float16", 11: "float64", 12: "uint32", 13: "uint64", 14: "complex64", 15: "complex128", 16: "bfloat16",
};

/** protobufjs gives int64 fields as numbers or, with the long package, as Long objects. */
const int64 = (value: number | { toNumber(): number } | null | undefined): number => (value === null || value === undefined ? 0 : typeof value === "number" ? value : value.toNumber());

function tensorSignature(info: onnxProto.onnx.IValueInfoProto): TensorSignature {
  const name = info.name ?? "";
  const tensor = info.type?.tensorType;
  if (!tensor) return { name, isTensor: false, type: "", shape: [] };
  const shape = (tensor.shape?.dim ?? []).map((dim, i) => (dim.dimParam ? dim.dimParam : int64(dim.dimValue) > 0 ? int64(dim.dimValue) : `dim${i}`));
  return { name, isTensor: true, type: ELEMENT_TYPES[tensor.elemType ?? 0] ?? `type ${tensor.elemType ?? 0}`, shape };
}

/** The signature of the ONNX model in `bytes` (named `source` in sentences). */
export function readOnnxSignature(bytes: Uint8Array, source: string): ModelSignature {
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new ModelShapeError(`${source} is not an ONNX model (${(error instanceof Error ? error.message : String(error)).split("\n")[0]})`);
  }
  const graph = model.graph;
  if (!graph) throw new ModelShapeError(`${source} is not an ONNX model: it has no graph`);
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name ?? ""));
  return {
    inputs: (graph.input ?? []).filter((i) => !initializers.has(i.name ?? "")).map(tensorSignature),
    outputs: (graph.output ?? []).map(tensorSignature),
  };
}
