/**
 * Writes a trained Network as an ONNX model shaped like what PyTorch's exporter emits: an
 * input "input" with a dynamic batch dimension, Sub/Div for the standardization, Conv, the
 * square as Mul(x, x) or Pow(x, Constant 2), Relu, Flatten between Conv and Gemm, Gemm with
 * transB=1, and an optional final Softmax. Weights go in raw_data (little-endian float32),
 * the standardization and constants in float_data, so readers meet both encodings.
 * Opset 13, IR version 8; nothing time- or machine-dependent goes in, so the bytes depend
 * on the weights alone.
 */
import onnxProto from "onnx-proto";
import type { Conv2d } from "./layers/conv2d.ts";
import type { Dense } from "./layers/dense.ts";
import type { Square } from "./layers/square.ts";
import type { Network } from "./network.ts";

const { onnx } = onnxProto;

export const ONNX_OPSET = 13;
export const ONNX_IR_VERSION = 8;
export const INPUT_NAME = "input";
export const BATCH_DIM = "batch";

export interface ExportOptions {
  readonly graphName: string;
  readonly docString: string;
  /** End with Softmax (the output is then "probabilities", otherwise "logits"). */
  readonly softmaxOutput: boolean;
}

/** The name of the graph's output for these options. */
export function outputName(softmaxOutput: boolean): string {
  return softmaxOutput ? "probabilities" : "logits";
}

export function exportOnnx(network: Network, options: ExportOptions): Uint8Array {
  const graph = new GraphBuilder();
  let x = INPUT_NAME;
  if (network.standardize) {
    const { mean, std } = network.standardize.standardization;
    x = graph.node("Sub", "scaler/Sub", [x, graph.floatData("scaler.mean", [mean.length], mean)]);
    x = graph.node("Div", "scaler/Div", [x, graph.floatData("scaler.std", [std.length], std)]);
  }
  let spatial = false;
  let layerIndex = 0;
  for (const layer of network.layers) {
    layerIndex++;
    if (layer.kind === "conv2d") {
      x = convNode(graph, layer, x);
      spatial = true;
    } else if (layer.kind === "square") {
      x = squareNode(graph, layer, x, `act${layerIndex}`);
    } else if (layer.kind === "relu") {
      x = graph.node("Relu", `act${layerIndex}/Relu`, [x]);
    } else {
      if (spatial) x = graph.node("Flatten", "flatten/Flatten", [x], [intAttribute("axis", 1)]);
      spatial = false;
      x = gemmNode(graph, layer, x);
    }
  }
  if (options.softmaxOutput) x = graph.node("Softmax", "softmax/Softmax", [x], [intAttribute("axis", 1)]);
  const output = outputName(options.softmaxOutput);
  graph.rename(x, output);
  const model = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: "", version: ONNX_OPSET }],
    producerName: "modelbazaar-trainer",
    producerVersion: "1",
    docString: options.docString,
    graph: {
      name: options.graphName,
      node: graph.nodes,
      initializer: graph.initializers,
      input: [valueInfo(INPUT_NAME, [BATCH_DIM, ...network.sampleShape])],
      output: [valueInfo(output, [BATCH_DIM, network.classCount])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

function convNode(graph: GraphBuilder, layer: Conv2d, x: string): string {
  const { kernel, stride, padding } = layer.geometry;
  const name = layer.weight.name.replace(/\.weight$/, "");
  return graph.node("Conv", `${name}/Conv`, [x, graph.rawData(layer.weight.name, layer.weight.shape, layer.weight.value), graph.rawData(layer.bias.name, layer.bias.shape, layer.bias.value)], [
    intsAttribute("dilations", [1, 1]),
    intAttribute("group", 1),
    intsAttribute("kernel_shape", [kernel, kernel]),
    intsAttribute("pads", [padding, padding, padding, padding]),
    intsAttribute("strides", [stride, stride]),
  ]);
}

function squareNode(graph: GraphBuilder, layer: Square, x: string, name: string): string {
  if (layer.op === "Mul") return graph.node("Mul", `${name}/Mul`, [x, x]);
  const exponent = graph.node("Constant", `${name}/Constant`, [], [
    { name: "value", type: onnx.AttributeProto.AttributeType.TENSOR, t: floatTensor("", [], [2]) },
  ]);
  return graph.node("Pow", `${name}/Pow`, [x, exponent]);
}

function gemmNode(graph: GraphBuilder, layer: Dense, x: string): string {
  const name = layer.weight.name.replace(/\.weight$/, "");
  return graph.node("Gemm", `${name}/Gemm`, [x, graph.rawData(layer.weight.name, layer.weight.shape, layer.weight.value), graph.rawData(layer.bias.name, layer.bias.shape, layer.bias.value)], [
    floatAttribute("alpha", 1),
    floatAttribute("beta", 1),
    intAttribute("transB", 1),
  ]);
}

/** Collects nodes and initializers; every node's single output is named after the node. */
class GraphBuilder {
  readonly nodes: onnxProto.onnx.INodeProto[] = [];
  readonly initializers: onnxProto.onnx.ITensorProto[] = [];

  node(opType: string, name: string, inputs: string[], attribute: onnxProto.onnx.IAttributeProto[] = []): string {
    const output = `${name}_output_0`;
    this.nodes.push({ name, opType, input: inputs, output: [output], attribute });
    return output;
  }

  rawData(name: string, shape: readonly number[], values: Float64Array): string {
    const bytes = new DataView(new ArrayBuffer(values.length * 4));
    values.forEach((v, i) => bytes.setFloat32(i * 4, v, true));
    this.initializers.push({ name, dims: [...shape], dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(bytes.buffer) });
    return name;
  }

  floatData(name: string, shape: readonly number[], values: Float64Array): string {
    this.initializers.push(floatTensor(name, shape, Array.from(values)));
    return name;
  }

  /** Renames the tensor `from` (the last node's output) to the graph output name `to`. */
  rename(from: string, to: string): void {
    const last = this.nodes.at(-1);
    if (last?.output?.[0] !== from) throw new Error(`The graph output must be the last node's output, not ${from}.`);
    last.output = [to];
  }
}

function floatTensor(name: string, shape: readonly number[], values: number[]): onnxProto.onnx.ITensorProto {
  return { name, dims: [...shape], dataType: onnx.TensorProto.DataType.FLOAT, floatData: values };
}

function valueInfo(name: string, shape: readonly (number | string)[]): onnxProto.onnx.IValueInfoProto {
  const dim = shape.map((d) => (typeof d === "string" ? { dimParam: d } : { dimValue: d }));
  return { name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim } } } };
}

function intAttribute(name: string, i: number): onnxProto.onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i };
}

function intsAttribute(name: string, ints: number[]): onnxProto.onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INTS, ints };
}

function floatAttribute(name: string, f: number): onnxProto.onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.FLOAT, f };
}
