/**
 * The arithmetic floor of a plan (issue #14): the modular multiply-adds one batch needs,
 * divided by the best rate of that arithmetic on this machine.
 *
 * Counted per batch from the engine's own operation counts (planWork.ts), with L the data
 * primes of the level an operation runs at and one NTT butterfly counted as one multiply-add:
 * - ciphertext x constant product: size x N x L (a linear layer: non-zero weights x ciphertext size);
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
import { ResidueKernel, shoupCompanion } from "../../offchain-worker/src/he/engine/residueKernel.ts";

function multiplyAdds({ operation, level, count }: OperationCount, n: number): number {
  const primes = level + 1;
  const ntt = (n / 2) * Math.log2(n);
  switch (operation) {
    case "product":
      return count * 2 * n * primes;
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
  for (const step of planWork(plan, parameters)) {
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
  const kernel = new ResidueKernel();
  const n = 512;
  const terms = 4;
  const q = (1n << 60n) - 93n;
  const table = 64;
  const x = 4096;
  const acc = x + terms * n * 8;
  kernel.reserve(acc + n * 8);
  kernel.words(0, 2).set([q, 4n * q]);
  const residues = kernel.words(x, terms * n);
  for (let k = 0; k < residues.length; ++k) residues[k] = (BigInt(k) * 0x9e3779b97f4a7c1n) % q;
  const view = kernel.view();
  view.setInt32(table, 1, true);
  view.setInt32(table + 4, acc, true);
  view.setInt32(table + 8, terms, true);
  for (let t = 0; t < terms; ++t) {
    const at = table + 12 + t * 24;
    const c = (BigInt(t + 1) * 0x5851f42d4c957f2dn) % q;
    view.setInt32(at, x + t * n * 8, true);
    view.setInt32(at + 4, 2, true);
    view.setBigUint64(at + 8, c, true);
    view.setBigUint64(at + 16, shoupCompanion(c, q), true);
  }
  let best = 0;
  for (let run = 0; run < 3; ++run) {
    const started = threadCpuSeconds();
    let calls = 0;
    while (threadCpuSeconds() - started < 0.3) {
      for (let i = 0; i < 1000; ++i) kernel.accumulate(table, n, 0, 1, 1, 0, n);
      calls += 1000;
    }
    best = Math.max(best, (calls * terms * n) / (threadCpuSeconds() - started));
  }
  return best;
}
