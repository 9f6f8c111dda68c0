/**
 * Adam with L2 weight decay added to the gradient, global gradient-norm clipping (square
 * activations make gradients spike) and a learning rate the caller schedules per step.
 */
import type { Parameter } from "./layers/parameter.ts";

export interface AdamSettings {
  /** L2 coefficient: the loss gains l2 / 2 * ||w||^2 for every decayed parameter. */
  readonly l2: number;
  /** The gradient is scaled down to this global norm when it is larger (absent: never). */
  readonly clipNorm?: number;
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;

export class Adam {
  readonly #parameters: readonly Parameter[];
  readonly #settings: AdamSettings;
  readonly #m: Float64Array[];
  readonly #v: Float64Array[];
  #step = 0;

  constructor(parameters: readonly Parameter[], settings: AdamSettings) {
    this.#parameters = parameters;
    this.#settings = settings;
    this.#m = parameters.map((p) => new Float64Array(p.value.length));
    this.#v = parameters.map((p) => new Float64Array(p.value.length));
  }

  /** Applies the accumulated gradients with learning rate `rate`, then zeroes them. */
  step(rate: number): void {
    this.#addWeightDecay();
    const scale = this.#clipScale();
    this.#step++;
    const correction1 = 1 - BETA1 ** this.#step;
    const correction2 = 1 - BETA2 ** this.#step;
    this.#parameters.forEach((p, k) => {
      const m = this.#m[k]!;
      const v = this.#v[k]!;
      for (let i = 0; i < p.value.length; i++) {
        const g = p.grad[i]! * scale;
        m[i] = BETA1 * m[i]! + (1 - BETA1) * g;
        v[i] = BETA2 * v[i]! + (1 - BETA2) * g * g;
        p.value[i]! -= (rate * (m[i]! / correction1)) / (Math.sqrt(v[i]! / correction2) + EPSILON);
      }
      p.grad.fill(0);
    });
  }

  #addWeightDecay(): void {
    const { l2 } = this.#settings;
    for (const p of this.#parameters) {
      if (p.decay && l2 > 0) for (let i = 0; i < p.value.length; i++) p.grad[i]! += l2 * p.value[i]!;
    }
  }

  #clipScale(): number {
    let squared = 0;
    for (const p of this.#parameters) for (const g of p.grad) squared += g * g;
    const norm = Math.sqrt(squared);
    const limit = this.#settings.clipNorm ?? Infinity;
    return norm > limit ? limit / norm : 1;
  }
}
