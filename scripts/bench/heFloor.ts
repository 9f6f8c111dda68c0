/**
 * The arithmetic floor of a plan (issue #14): the modular multiply-adds one batch needs,
 * divided by the best rate of that arithmetic on this machine.
 *
 * Counted per batch from the engine's own operation counts (planWork.ts, linear layers on the
 * residue kernel), with L the data primes of the level an operation runs at and one NTT
 * butterfly counted as one multiply-add:
 * - a linear layer: the kernel's multiply-adds, non-zero weights x ciphertext size x N x L;
 * - ciphertext x ciphertext (a square): 3 N L (c0^2, 2 c0 c1, c1^2);
 * - relinearization (one special prime): the INTT of c2 (L), one NTT per digit and prime
 *   (L (L + 1)), the key products 2 L (L + 1) N, and the mod-down (2 INTTs, 2 L NTTs, 2 L N);
 * - rescale: 2 INTTs and 2 (L - 1) NTTs, and 2 (L - 1) N;
 * - dropping a prime (mod switch): none.
 * Loading, finishing (the last mod switches and the mask), encryption and decryption are
 * outside the floor: it is the layers' arithmetic.
 *
 * The rate is the residue kernel's own loop (engine/residueKernelWasm.ts: a Shoup product
 * with lazy accumulation, scalar 64-bit WebAssembly) on data that stays in the L1 cache,
 * in multiply-adds per CPU second of one thread.
 */
import type { HeParameters, HePlan } from "@modelbazaar/sdk/he";
import { planWork, type OperationCount } from "../../offchain-worker/src/he/engine/planWork.ts";
import { ResidueKernel } from "../../offchain-worker/src/he/engine/residueKernel.ts";
import { kernelProbe } from "../../offchain-worker/src/he/engine/residueKernelProbe.ts";

function multiplyAdds({ operation, level, count }: OperationCount, n: number): number {
  const primes = level + 1;
  const ntt = (n / 2) * Math.log2(n);
  switch (operation) {
    case "multiplyAdd":
      return count;
    case "multiply":
      return count * 3 * n * primes;
    case "relinearize":
      return count * ((primes + primes * (primes + 1) + 2 + 2 * primes) * ntt + (2 * primes * (primes + 1) + 2 * primes) * n);
    case "rescale":
      return count * ((2 + 2 * (primes - 1)) * ntt + 2 * (primes - 1) * n);
    default:
      return 0;
  }
}

/** Modular multiply-adds of one batch, per layer ("linear 0", "monomials 1", ...; loading and finishing are not counted). */
export function floorMultiplyAdds(plan: HePlan, parameters: HeParameters): Record<string, number> {
  const steps: Record<string, number> = {};
  for (const step of planWork(plan, parameters, "residues")) {
    if (!/^(linear|monomials) /.test(step.step)) continue;
    const total = step.operations.reduce((sum, operation) => sum + multiplyAdds(operation, parameters.polyModulusDegree), 0);
    if (total > 0) steps[step.step] = total;
  }
  return steps;
}

function threadCpuSeconds(): number {
  const { user, system } = process.threadCpuUsage();
  return (user + system) / 1e6;
}

/** The kernel's multiply-adds per CPU second of one thread, on 4 terms of 512 coefficients (L1-resident), best of 3 runs of ~0.3 s. */
export function measureKernelRate(): number {
  const probe = kernelProbe(new ResidueKernel(), { n: 512, moduli: [(1n << 60n) - 93n], terms: 4, polys: 1, outputs: 1, block: 512 });
  let best = 0;
  for (let run = 0; run < 3; ++run) {
    const started = threadCpuSeconds();
    let calls = 0;
    while (threadCpuSeconds() - started < 0.3) {
      for (let i = 0; i < 1000; ++i) probe.accumulate();
      calls += 1000;
    }
    best = Math.max(best, (calls * probe.multiplyAdds) / (threadCpuSeconds() - started));
  }
  return best;
}
