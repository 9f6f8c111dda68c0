/**
 * A small ONNX graph builder (on onnx-proto) for the compiler's tests and the project's model
 * zoo (scripts/zoo/), and a runner that evaluates the built bytes in onnxruntime-node, the
 * reference every compiler test and the zoo compare against.
 */
import onnxProto from "onnx-proto";
import * as ort from "onnxruntime-node";

const { onnx } = onnxProto;

export const FLOAT = 1;
export const INT64 = 7;
export const DOUBLE = 11;

/** number -> INT, string -> STRING, number[] -> INTS, {f} -> FLOAT, {floats} -> FLOATS, {t} -> TENSOR. */
export type Attr = number | string | number[] | { f: number } | { floats: number[] } | { t: onnxProto.onnx.ITensorProto };

export interface NodeSpec {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: Readonly<Record<string, Attr>>;
  readonly name?: string;
  readonly domain?: string;
}

export interface ModelSpec {
  readonly nodes: readonly NodeSpec[];
  readonly initializers?: readonly onnxProto.onnx.ITensorProto[];
  /** dims: numbers, or a string for a symbolic (dynamic) dimension. */
  readonly input: { readonly name: string; readonly dims: readonly (number | string)[]; readonly type?: number };
  readonly output: { readonly name: string; readonly type?: number };
  /** More data inputs shaped like `input` (to test models the compiler must refuse). */
  readonly extraInputs?: readonly string[];
  readonly extraOutputs?: readonly string[];
  readonly opset?: number;
}

/** ONNX IR version that goes with an opset (what the onnx package would write). */
function irVersionFor(opset: number): number {
  if (opset <= 8) return 3;
  if (opset <= 11) return opset - 5;
  if (opset <= 14) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  return 10;
}

export function tensor(name: string, dims: readonly number[], values: ArrayLike<number>, dataType = DOUBLE, raw = false): onnxProto.onnx.ITensorProto {
  const t: onnxProto.onnx.ITensorProto = { name, dims: [...dims], dataType };
  const list = Array.from(values);
  if (raw) {
    const bytes = dataType === FLOAT ? new Uint8Array(Float32Array.from(list).buffer) : dataType === INT64 ? new Uint8Array(BigInt64Array.from(list.map(BigInt)).buffer) : new Uint8Array(Float64Array.from(list).buffer);
    t.rawData = bytes;
  } else if (dataType === FLOAT) t.floatData = list;
  else if (dataType === INT64) t.int64Data = list;
  else t.doubleData = list;
  return t;
}

export function ints(name: string, values: readonly number[]): onnxProto.onnx.ITensorProto {
  return tensor(name, [values.length], values, INT64);
}

function attribute(name: string, value: Attr): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === "number") return { name, type: T.INT, i: value };
  if (typeof value === "string") return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: T.INTS, ints: value };
  if ("f" in value) return { name, type: T.FLOAT, f: value.f };
  if ("floats" in value) return { name, type: T.FLOATS, floats: value.floats };
  return { name, type: T.TENSOR, t: value.t };
}

export function buildModel(spec: ModelSpec): Uint8Array {
  const opset = spec.opset ?? 17;
  const inputType = spec.input.type ?? DOUBLE;
  const model: onnxProto.onnx.IModelProto = {
    irVersion: irVersionFor(opset),
    producerName: "modelbazaar-onnxGraph",
    opsetImport: [{ domain: "", version: opset }],
    graph: {
      name: "test",
      node: spec.nodes.map((n, i) => ({
        name: n.name ?? `${n.op}_${i}`,
        opType: n.op,
        domain: n.domain ?? "",
        input: [...n.inputs],
        output: [...n.outputs],
        attribute: Object.entries(n.attributes ?? {}).map(([k, v]) => attribute(k, v)),
      })),
      initializer: [...(spec.initializers ?? [])],
      input: [spec.input.name, ...(spec.extraInputs ?? [])].map((name) => ({
        name,
        type: { tensorType: { elemType: inputType, shape: { dim: spec.input.dims.map((d) => (typeof d === "string" ? { dimParam: d } : { dimValue: d })) } } },
      })),
      output: [spec.output.name, ...(spec.extraOutputs ?? [])].map((name) => ({ name, type: { tensorType: { elemType: spec.output.type ?? inputType } } })),
    },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.fromObject(model)).finish();
}

/** Runs the model in onnxruntime-node on `samples` (row-major, batch first); returns the first output flattened. */
export async function runModel(bytes: Uint8Array, inputName: string, samples: Float64Array, dims: readonly number[], type = DOUBLE): Promise<Float64Array> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const data = type === DOUBLE ? Float64Array.from(samples) : Float32Array.from(samples);
    const feed = new ort.Tensor(type === DOUBLE ? "float64" : "float32", data, [...dims]);
    const result = await session.run({ [inputName]: feed });
    const first = result[session.outputNames[0]!]!;
    return Float64Array.from(first.data as ArrayLike<number>, Number);
  } finally {
    await session.release();
  }
}
