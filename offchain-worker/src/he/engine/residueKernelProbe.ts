/**
 * A synthetic call of the residue kernel (residueKernel.ts), laid out in its memory as
 * residueLinear.ts lays out a layer: `outputs` outputs, each reading the same `terms` inputs
 * of `polys` polynomials of N coefficients per prime of `moduli`, in blocks of `block`
 * coefficients. It times the kernel's modular multiply-adds: scripts/bench/heFloor.ts its
 * best rate (data in the L1 cache), operationCosts.ts its cost at a plan's parameters.
 * Inputs and accumulators are zeros: the kernel's 64-bit products take the same time
 * whatever the values.
 */
import { shoupCompanion, type ResidueKernel } from "./residueKernel.ts";

export interface KernelProbeShape {
  readonly n: number;
  readonly moduli: readonly bigint[];
  readonly terms: number;
  readonly polys: number;
  readonly outputs: number;
  readonly block: number;
}

export interface KernelProbe {
  /** Modular multiply-adds one `accumulate` does: outputs x terms x polys x N x primes. */
  readonly multiplyAdds: number;
  accumulate(): void;
}

const align8 = (bytes: number): number => Math.ceil(bytes / 8) * 8;

export function kernelProbe(kernel: ResidueKernel, { n, moduli, terms, polys, outputs, block }: KernelProbeShape): KernelProbe {
  const primes = moduli.length;
  const words = polys * n * primes;
  const termBytes = 8 + 16 * primes;
  const tableAt = 16 * primes;
  const xAt = align8(tableAt + 4 + outputs * (8 + terms * termBytes));
  const accAt = xAt + terms * words * 8;
  kernel.reserve(accAt + outputs * words * 8);
  kernel.setPrimes(0, moduli);
  kernel.words(xAt, (terms + outputs) * words).fill(0n);
  const view = kernel.view();
  view.setInt32(tableAt, outputs, true);
  let at = tableAt + 4;
  for (let j = 0; j < outputs; ++j) {
    view.setInt32(at, accAt + j * words * 8, true);
    view.setInt32(at + 4, terms, true);
    at += 8;
    for (let t = 0; t < terms; ++t) {
      view.setInt32(at, xAt + t * words * 8, true);
      view.setInt32(at + 4, polys, true);
      moduli.forEach((q, l) => {
        const c = (BigInt(t + 1) * 0x5851f42d4c957f2dn) % q;
        view.setBigUint64(at + 8 + 16 * l, c, true);
        view.setBigUint64(at + 16 + 16 * l, shoupCompanion(c, q), true);
      });
      at += termBytes;
    }
  }
  return {
    multiplyAdds: outputs * terms * words,
    accumulate: () => kernel.accumulate(tableAt, n, 0, primes, polys * primes, 0, Math.min(block, n)),
  };
}
