/**
 * The compiler's errors: a model that is not ONNX at all, and a model whose graph holds
 * operations CKKS cannot evaluate. Both carry sentences a seller can act on, and the
 * unsupported-model error lists every offending node, not just the first.
 */

/** The bytes are not a readable ONNX model (truncated, not protobuf, no graph, external data). */
export class MalformedModelError extends Error {
  override readonly name = "MalformedModelError";
}

/** One node the compiler cannot turn into an HE plan, and why. */
export interface UnsupportedNode {
  readonly name: string;
  readonly opType: string;
  readonly reason: string;
}

/** The model is valid ONNX but some nodes are neither linear, polynomial nor approximable. */
export class UnsupportedModelError extends Error {
  override readonly name = "UnsupportedModelError";
  readonly nodes: readonly UnsupportedNode[];

  constructor(nodes: readonly UnsupportedNode[], modelProblem?: string) {
    const lines = nodes.map((n) => `  - node "${n.name}" (${n.opType}): ${n.reason}`);
    const head = modelProblem ?? `the model cannot be evaluated under homomorphic encryption: ${nodes.length} unsupported node(s)`;
    super(lines.length > 0 ? `${head}\n${lines.join("\n")}` : head);
    this.nodes = nodes;
  }
}

/** Thrown inside an op handler; the graph walker turns it into one entry of UnsupportedModelError. */
export class NodeNotSupported extends Error {
  override readonly name = "NodeNotSupported";
}
