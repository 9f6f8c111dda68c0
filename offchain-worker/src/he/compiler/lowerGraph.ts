/**
 * Walks the ONNX graph in order and turns it into the plan's layer chain: constants fold,
 * linear ops compose into the current stage's affine map, activations close the stage into a
 * linear + monomials pair. Every node gets a fate for the report; nodes that cannot be
 * lowered are collected (their dependants are skipped) and reported together.
 */
import { type HePlan, layerDepth } from "@modelbazaar/sdk/he";
import { NodeNotSupported, UnsupportedModelError, type UnsupportedNode } from "./errors.ts";
import { fusionInflates } from "./fusion.ts";
import type { LoweringContext, NodeOutcome } from "./lowering/context.ts";
import { HANDLERS, UNSUPPORTED_REASONS } from "./lowering/registry.ts";
import type { OnnxModel, OnnxNode } from "./onnx/decodeModel.ts";
import { PlanBuilder } from "./planBuilder.ts";
import { FIT_METHODS, type FitMethod } from "./polynomialFit.ts";
import type { NodeReport } from "./report.ts";
import { applyOperator, DYNAMIC_BATCH, numel, type AffineValue, type DroppedTailValue, type Value } from "./values.ts";

export interface LoweredGraph {
  readonly plan: HePlan;
  readonly nodes: NodeReport[];
  readonly outputSampleDims: readonly number[];
  /** The trailing Softmax/LogSoftmax left to the buyer, if any. */
  readonly droppedTail?: Omit<DroppedTailValue, "scores" | "kind">;
  readonly notes: string[];
}

const DEFAULT_DOMAINS = new Set(["", "ai.onnx"]);

/** Names of the nodes the first output depends on. */
function neededNodes(model: OnnxModel, output: string): Set<OnnxNode> {
  const producer = new Map<string, OnnxNode>();
  for (const node of model.nodes) for (const o of node.outputs) producer.set(o, node);
  const needed = new Set<OnnxNode>();
  const stack = [output];
  while (stack.length > 0) {
    const node = producer.get(stack.pop()!);
    if (node === undefined || needed.has(node)) continue;
    needed.add(node);
    stack.push(...node.inputs.filter((i) => i !== ""));
  }
  return needed;
}

function unsupportedReason(node: OnnxNode): string | undefined {
  if (node.domain === "ai.onnx.ml") return "it is an ONNX-ML operator (as scikit-learn converters write), which the compiler does not read; express the model with standard ONNX ops (MatMul, Add, ...)";
  if (!DEFAULT_DOMAINS.has(node.domain)) return `it is a custom operator of domain "${node.domain}"`;
  if (!HANDLERS.has(node.opType)) return UNSUPPORTED_REASONS.get(node.opType) ?? `the operator ${node.opType} has no linear or polynomial form the compiler knows`;
  return undefined;
}

function describe(outcome: NodeOutcome | undefined, stageLayers: ReadonlyMap<number, number>): Omit<NodeReport, "name" | "opType"> {
  if (outcome?.kind === "activation") {
    if (outcome.maxError === undefined) return { fate: "polynomial", layer: outcome.layer, detail: `exact ${outcome.op}: monomials layer ${outcome.layer}` };
    const [lo, hi] = outcome.range ?? [0, 0];
    const fit = outcome.fit;
    const onData = fit ? `; on held-out calibration inputs (${fit.method}): rms error ${fit.rmsError.toPrecision(3)}, max ${fit.maxError.toPrecision(3)}` : "";
    return {
      fate: "approximated",
      layer: outcome.layer,
      maxError: outcome.maxError,
      ...(fit ? { fit } : {}),
      detail: `${outcome.op} replaced by a polynomial fitted on [${lo.toPrecision(4)}, ${hi.toPrecision(4)}], max error ${outcome.maxError.toPrecision(3)} over that range${onData}: monomials layer ${outcome.layer}`,
    };
  }
  if (outcome?.kind === "dropped") return { fate: "dropped", detail: outcome.reason };
  if (outcome === undefined) return { fate: "folded", detail: "computed at compile time" };
  const layer = outcome.kind === "lowered" ? stageLayers.get(outcome.stage) : undefined;
  return layer === undefined ? { fate: "lowered", detail: "no-op on the data" } : { fate: "lowered", layer, detail: `fused into linear layer ${layer}` };
}

/** The walk's state: values by tensor name, what happened to each node, what failed. */
class GraphWalker {
  readonly builder: PlanBuilder;
  readonly values: Map<string, Value>;
  readonly outcomes = new Map<OnnxNode, NodeOutcome | undefined>();
  readonly unsupported: UnsupportedNode[] = [];
  readonly #poisoned = new Set<string>();
  readonly #ctx: LoweringContext;
  /** Tensor name -> position (in the walk) of the last node that reads it; the graph's output never dies. */
  readonly #lastUse = new Map<string, number>();
  #position = 0;
  #outcome: NodeOutcome | undefined;
  #node = "";

  constructor(model: OnnxModel, calibration: Float64Array, options: LoweringOptions, walk: readonly OnnxNode[]) {
    walk.forEach((node, position) => node.inputs.forEach((name) => this.#lastUse.set(name, position)));
    for (const name of model.outputs) this.#lastUse.set(name, Infinity);
    this.builder = new PlanBuilder(numel(model.input.sampleDims), calibration);
    this.values = new Map<string, Value>(model.initializers);
    this.values.set(model.input.name, this.builder.input(model.input.sampleDims));
    this.#ctx = {
      opset: model.opset,
      batch: model.input.batch,
      degree: options.degree,
      fitMethods: options.fitMethods ?? FIT_METHODS,
      activate: (value, request) => {
        const result = this.builder.activate(value, { ...request, node: this.#node });
        this.#liftIntoNewStage(value, result.input);
        const a = result.activation;
        this.#outcome = { kind: "activation", layer: result.monomialsLayer, op: a.op, maxError: a.maxError, range: a.range, fit: result.fit };
        return result;
      },
      drop: (reason) => {
        this.#outcome = { kind: "dropped", reason };
      },
      compose: (value, op) => {
        if (!fusionInflates(value, op) || !this.#onlyLiveValueOfStage(value)) return applyOperator(value, op);
        const lifted = this.builder.split(value);
        this.#liftIntoNewStage(value, lifted);
        return applyOperator(lifted, op);
      },
    };
  }

  /**
   * Whether `value` is the only value of the current stage still to be read (by this node or a
   * later one): a split leaves the others in a closed stage, where nothing could combine them.
   */
  #onlyLiveValueOfStage(value: AffineValue): boolean {
    for (const [name, v] of this.values) {
      const scores = v.kind === "droppedTail" ? v.scores : v;
      if (scores !== value && scores.kind === "affine" && scores.stage === value.stage && (this.#lastUse.get(name) ?? -1) >= this.#position) return false;
    }
    return true;
  }

  /** Lowers one node (the walk's `position`-th), or records why it cannot be (skipping it silently when an input already failed). */
  visit(node: OnnxNode, position: number): void {
    this.#position = position;
    if (node.inputs.some((i) => this.#poisoned.has(i))) return this.#poison(node);
    const reason = unsupportedReason(node) ?? this.#missingInput(node);
    if (reason !== undefined) return this.#fail(node, reason);
    this.#outcome = undefined;
    this.#node = node.name;
    try {
      const outputs = HANDLERS.get(node.opType)!(node, node.inputs.map((i) => (i === "" ? undefined : this.values.get(i))), this.#ctx);
      outputs.forEach((v, k) => {
        const name = node.outputs[k];
        if (name) this.values.set(name, v);
      });
      this.outcomes.set(node, outputs.every((v) => v.kind === "const") ? undefined : this.#dataOutcome(node));
    } catch (error) {
      if (error instanceof NodeNotSupported) this.#fail(node, error.message);
      else if (error instanceof Error) this.#fail(node, `it could not be lowered (${error.message})`);
      else throw error;
    }
  }

  /** Every tensor that is the activation's input now refers to it in the new stage. */
  #liftIntoNewStage(input: AffineValue, lifted: AffineValue): void {
    for (const [name, v] of this.values) if (v === input) this.values.set(name, lifted);
  }

  /** A data-dependent node that did not activate or drop went into the current stage's linear map. */
  #dataOutcome(node: OnnxNode): NodeOutcome {
    if (this.#outcome !== undefined) return this.#outcome;
    this.builder.noteLowered(node.name);
    return { kind: "lowered", stage: this.builder.stage.index };
  }

  #missingInput(node: OnnxNode): string | undefined {
    const missing = node.inputs.find((i) => i !== "" && !this.values.has(i));
    return missing === undefined ? undefined : `its input "${missing}" is not produced by any earlier node, initializer or graph input`;
  }

  #fail(node: OnnxNode, reason: string): void {
    this.unsupported.push({ name: node.name, opType: node.opType, reason });
    this.#poison(node);
  }

  #poison(node: OnnxNode): void {
    for (const o of node.outputs) this.#poisoned.add(o);
  }
}

function checkOpset(opset: number, notes: string[]): void {
  if (opset < 9) throw new UnsupportedModelError([], `the model uses ONNX opset ${opset}; the compiler supports opsets 9 to 21 (re-export with a newer opset)`);
  if (opset > 21) notes.push(`opset ${opset} is newer than the tested range 9-21`);
}

/** The scores the plan must output: the output's affine map (behind a dropped Softmax, if any). */
function outputScores(out: Value | undefined, name: string): AffineValue {
  if (out === undefined) throw new UnsupportedModelError([], `the output "${name}" is not produced by any node`);
  const scores = out.kind === "droppedTail" ? out.scores : out;
  if (scores.kind === "const") throw new UnsupportedModelError([], `the output "${name}" does not depend on the input; there is nothing to evaluate`);
  return scores;
}

/** A node about to be lowered: the `index`-th (1-based) of the `count` the output needs. */
export interface NodeProgress {
  readonly index: number;
  readonly count: number;
  readonly name: string;
  readonly opType: string;
}

/** How approximated activations are fitted, and who hears of each node. */
export interface LoweringOptions {
  readonly degree: 2 | 3;
  /** The fits tried for each approximated activation (activationFit.ts); all of FIT_METHODS by default. */
  readonly fitMethods?: readonly FitMethod[];
  readonly onNode?: (node: NodeProgress) => void;
}

export function lowerGraph(model: OnnxModel, calibration: Float64Array, options: LoweringOptions): LoweredGraph {
  const { onNode } = options;
  const notes: string[] = [];
  checkOpset(model.opset, notes);
  const outputName = model.outputs[0]!;
  if (model.outputs.length > 1) notes.push(`only the first output "${outputName}" is compiled; ignored: ${model.outputs.slice(1).join(", ")}`);

  const needed = neededNodes(model, outputName);
  const walk = model.nodes.filter((node) => needed.has(node));
  const walker = new GraphWalker(model, calibration, options, walk);
  walk.forEach((node, position) => {
    onNode?.({ index: position + 1, count: walk.length, name: node.name, opType: node.opType });
    walker.visit(node, position);
  });
  if (walker.unsupported.length > 0) throw new UnsupportedModelError(walker.unsupported);

  const out = walker.values.get(outputName);
  const scores = outputScores(out, outputName);
  try {
    walker.builder.finish(scores);
  } catch (error) {
    if (error instanceof NodeNotSupported) throw new UnsupportedModelError([], `the output "${outputName}": ${error.message}`);
    throw error;
  }

  const nodes: NodeReport[] = model.nodes.map((node) => {
    const base = { name: node.name, opType: node.opType };
    if (!needed.has(node)) return { ...base, fate: "unused", detail: "not needed for the compiled output" };
    return { ...base, ...describe(walker.outcomes.get(node), walker.builder.stageLayers) };
  });
  const layers = walker.builder.layers;
  const plan: HePlan = {
    version: 1,
    inputSize: numel(model.input.sampleDims),
    outputSize: numel(scores.sampleDims),
    layers,
    depth: layers.reduce((d, l) => d + layerDepth(l), 0),
    maxMagnitude: walker.builder.maxMagnitude,
  };
  if (model.input.batch !== DYNAMIC_BATCH) notes.push(`the model's batch dimension is fixed at ${model.input.batch}; the plan evaluates one sample at a time regardless`);
  const droppedTail = out?.kind === "droppedTail" ? { op: out.op, sampleAxes: out.sampleAxes } : undefined;
  if (droppedTail) notes.push(`the final ${droppedTail.op} is left to the buyer: the plan outputs the scores before it (same argmax)`);
  return { plan, nodes, outputSampleDims: scores.sampleDims, droppedTail, notes };
}
