/**
 * ONNX bytes -> the parts of the model the compiler needs: the default-domain opset, the one
 * sample input (name, element type, per-sample dims, batch dimension), the output, the
 * initializers as constants and the nodes with display names. Anything that makes the file
 * unreadable is a MalformedModelError; a readable file the plan cannot express is reported
 * later, per node.
 */
import onnxProto from "onnx-proto";
import { MalformedModelError, UnsupportedModelError } from "../errors.ts";
import { DYNAMIC_BATCH, type ConstValue } from "../values.ts";
import { NodeAttributes } from "./attributes.ts";
import { toNumber } from "./long.ts";
import { decodeTensor, FLOAT_TYPES } from "./tensor.ts";

const { onnx } = onnxProto;

export interface OnnxNode {
  /** The node's name, or `<opType>#<index>` when the exporter left it empty. */
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: NodeAttributes;
}

export interface OnnxInput {
  readonly name: string;
  /** TensorProto element type (1 float, 11 double, ...). */
  readonly elemType: number;
  /** Dims after the batch axis. */
  readonly sampleDims: readonly number[];
  /** The batch dimension: a fixed size, or DYNAMIC_BATCH when symbolic. */
  readonly batch: number;
}

export interface OnnxModel {
  readonly opset: number;
  readonly producer: string;
  readonly input: OnnxInput;
  readonly outputs: readonly string[];
  readonly initializers: ReadonlyMap<string, ConstValue>;
  readonly nodes: readonly OnnxNode[];
}

type ModelProto = onnxProto.onnx.ModelProto;

function parse(bytes: Uint8Array): ModelProto {
  if (bytes.length === 0) throw new MalformedModelError("the model file is empty");
  try {
    return onnx.ModelProto.decode(bytes);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new MalformedModelError(`not a valid ONNX model (protobuf decoding failed: ${detail}); is the file truncated or of another format?`, { cause });
  }
}

function defaultOpset(model: ModelProto): number {
  const entry = model.opsetImport.find((o) => o.domain === "" || o.domain === "ai.onnx" || o.domain == null);
  if (entry === undefined) throw new MalformedModelError("the model imports no version of the default ONNX operator set");
  return toNumber(entry.version);
}

function sampleInput(graph: onnxProto.onnx.IGraphProto, initializerNames: ReadonlySet<string>): OnnxInput {
  const inputs = (graph.input ?? []).filter((i) => !initializerNames.has(i.name ?? ""));
  if (inputs.length !== 1) {
    throw new UnsupportedModelError([], `the model must have exactly one data input (the feature tensor); it has ${inputs.length}: ${inputs.map((i) => i.name).join(", ")}`);
  }
  const input = inputs[0]!;
  const name = input.name ?? "";
  const tensorType = input.type?.tensorType;
  if (!tensorType) throw new UnsupportedModelError([], `the input "${name}" is not a tensor`);
  const elemType = tensorType.elemType ?? 0;
  if (!FLOAT_TYPES.has(elemType)) throw new UnsupportedModelError([], `the input "${name}" has element type ${elemType}; CKKS encrypts real numbers, so it must be a float tensor`);
  const dims = tensorType.shape?.dim ?? [];
  if (dims.length < 2) {
    throw new UnsupportedModelError([], `the input "${name}" has rank ${dims.length}; the compiler needs a leading batch dimension followed by the features (e.g. [N, 4])`);
  }
  const sampleDims = dims.slice(1).map((d, i) => {
    const value = toNumber(d.dimValue);
    if (d.dimParam || value <= 0) {
      throw new UnsupportedModelError([], `the input "${name}" has a dynamic dimension at axis ${i + 1}; only the batch dimension (axis 0) may be dynamic`);
    }
    return value;
  });
  const first = dims[0]!;
  const batchValue = toNumber(first.dimValue);
  return { name, elemType, sampleDims, batch: first.dimParam || batchValue <= 0 ? DYNAMIC_BATCH : batchValue };
}

export function decodeModel(bytes: Uint8Array): OnnxModel {
  const model = parse(bytes);
  const graph = model.graph;
  if (!graph || (graph.node?.length ?? 0) === 0 || (graph.output?.length ?? 0) === 0) {
    throw new MalformedModelError("not a valid ONNX model: it has no graph, no nodes or no outputs");
  }
  const initializers = new Map<string, ConstValue>();
  for (const t of graph.initializer ?? []) initializers.set(t.name ?? "", decodeTensor(t, `initializer "${t.name}"`));
  if ((graph.sparseInitializer?.length ?? 0) > 0) throw new UnsupportedModelError([], "the model has sparse initializers; save it with dense weights");
  const nodes = (graph.node ?? []).map((n, index): OnnxNode => {
    const opType = n.opType ?? "";
    return {
      name: n.name || `${opType}#${index}`,
      opType,
      domain: n.domain ?? "",
      inputs: n.input ?? [],
      outputs: n.output ?? [],
      attributes: new NodeAttributes(n.attribute ?? []),
    };
  });
  return {
    opset: defaultOpset(model),
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(" ") || "unknown",
    input: sampleInput(graph, new Set(initializers.keys())),
    outputs: (graph.output ?? []).map((o) => o.name ?? ""),
    initializers,
    nodes,
  };
}
