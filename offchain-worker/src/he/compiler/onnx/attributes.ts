/** Typed access to a node's attributes, with the ONNX default when an attribute is absent. */
import type onnxProto from "onnx-proto";
import type { ConstValue } from "../values.ts";
import { toNumber } from "./long.ts";
import { decodeTensor } from "./tensor.ts";

type AttributeProto = onnxProto.onnx.IAttributeProto;

export class NodeAttributes {
  readonly #byName: ReadonlyMap<string, AttributeProto>;

  constructor(attributes: readonly AttributeProto[]) {
    this.#byName = new Map(attributes.map((a) => [a.name ?? "", a]));
  }

  has(name: string): boolean {
    return this.#byName.has(name);
  }

  int(name: string, fallback: number): number {
    const a = this.#byName.get(name);
    return a ? toNumber(a.i) : fallback;
  }

  float(name: string, fallback: number): number {
    const a = this.#byName.get(name);
    return a ? (a.f ?? 0) : fallback;
  }

  string(name: string, fallback: string): string {
    const a = this.#byName.get(name);
    return a?.s ? new TextDecoder().decode(a.s) : fallback;
  }

  ints(name: string): number[] | undefined {
    const a = this.#byName.get(name);
    return a ? (a.ints ?? []).map(toNumber) : undefined;
  }

  floats(name: string): number[] | undefined {
    const a = this.#byName.get(name);
    return a ? [...(a.floats ?? [])] : undefined;
  }

  tensor(name: string): ConstValue | undefined {
    const a = this.#byName.get(name);
    return a?.t ? decodeTensor(a.t, `attribute "${name}"`) : undefined;
  }
}
