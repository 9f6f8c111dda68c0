/**
 * What each operation costs on this machine, measured in about a second, and the time a
 * plan's counted work (planWork.ts) will take at those costs: the estimate `model check`
 * prints before its long measurement, and a worker states for its listings.
 *
 * Every operation of planWork is timed a few times at every level of the chain it runs at,
 * with the plan's own parameters, one thread; costs are per operation, in milliseconds of
 * this thread's CPU time, indexed by chain level. SEAL's operations always; the residue
 * kernel's (a read, a multiply-add, a write) when the engine has the kernel.
 *
 * CPU time, not wall time: each timing lasts milliseconds, shorter than the scheduler's time
 * slice, so on a shared machine it runs uncontended, while a batch that runs for seconds gets
 * only its share of a core. Timed by the wall clock, the estimate was the uncontended time
 * (1.3x to 2.5x below the measured batch under a load of 9 on 2 cores); the CPU time per
 * operation is the same in a millisecond burst as in a long run, with one hot operand as with
 * hundreds of distinct ones (measured: 0.25 vs 0.25 ms per product, 0.52 vs 0.55 ms per load).
 * So the cost is CPU time, and the wall time of the batch is that divided by `cpuShare`: the
 * share of a core this thread got over the whole timing (a second), the load it will likely
 * meet. The share can change while the batch runs: the estimate is a forecast, not a promise.
 */
import { encodeResult, type BuyerSession, sealCall, type Ciphertext } from "@modelbazaar/sdk/he";
import { CiphertextWriter, readResidues } from "./ciphertextResidues.ts";
import type { Operation, WorkStep } from "./planWork.ts";
import type { ResidueKernel } from "./residueKernel.ts";
import { kernelProbe } from "./residueKernelProbe.ts";
import { BLOCK, CHUNK } from "./residueLinear.ts";
import type { EngineContext } from "./runtime.ts";

/** CPU milliseconds per operation, by chain level (levels an operation never runs at are absent). */
export type OperationTable = { readonly [operation in Operation]: readonly (number | undefined)[] };

export interface OperationCosts {
  readonly cpuMs: OperationTable;
  /** CPU time / wall time of this thread over the whole measurement, in (0, 1]: the share of a core it got. */
  readonly cpuShare: number;
}

export interface StepEstimate {
  readonly step: string;
  readonly side: "buyer" | "worker";
  readonly description: string;
  /** CPU time the step needs. */
  readonly cpuSeconds: number;
  /** Wall time at the measured CPU share: cpuSeconds / cpuShare. */
  readonly seconds: number;
}

/** The smallest share a measurement reports (a thread starved for the whole second would otherwise divide by ~0). */
const MIN_CPU_SHARE = 0.05;

/** This thread's CPU time, in milliseconds. */
function threadCpuMs(): number {
  const { user, system } = process.threadCpuUsage();
  return (user + system) / 1000;
}

/**
 * Node's thread CPU clock advances in steps of about a millisecond, longer than many single
 * operations (a product at N = 4096: 0.25 ms): each operation is repeated until at least this
 * much CPU time has passed, so the step costs at most a few percent of the reading.
 */
const MIN_TIMED_CPU_MS = 25;

/**
 * Times `work` after one untimed run (first-use costs such as templates are not
 * per-operation): at least `repetitions` runs, more until {MIN_TIMED_CPU_MS} of CPU time has
 * passed; CPU milliseconds per run.
 */
function perRun(repetitions: number, work: () => void): number {
  work();
  const started = threadCpuMs();
  let runs = 0;
  let spent = 0;
  while (runs < repetitions || spent < MIN_TIMED_CPU_MS) {
    work();
    runs += 1;
    spent = threadCpuMs() - started;
  }
  return spent / runs;
}

/**
 * Measures every operation planWork counts, with `session`'s keys (its relinearization keys
 * are made if they were not yet) and `engine`'s evaluator, both for the plan's parameters.
 */
export function measureOperationCosts(session: BuyerSession, engine: EngineContext, repetitions = 3): OperationCosts {
  const { seal, context } = engine.he;
  const top = engine.topLevel;
  const inputSize = session.summary.inputSize;
  const wallStarted = performance.now();
  const cpuStarted = threadCpuMs();
  const costs: { [operation in Operation]: (number | undefined)[] } = {
    encrypt: [],
    load: [],
    constant: [],
    product: [],
    readResidues: [],
    multiplyAdd: [],
    writeResidues: [],
    multiply: [],
    relinearize: [],
    rescale: [],
    modSwitch: [],
    decrypt: [],
  };
  const owned: Ciphertext[] = [];
  const fresh = (): Ciphertext => {
    const ciphertext = new seal.Ciphertext();
    owned.push(ciphertext);
    return ciphertext;
  };
  const relinKeys = new seal.RelinKeys();
  try {
    return sealCall("measuring the cost of SEAL's operations", () => {
      const features = new Float64Array(inputSize).fill(0.5);
      const count = Math.min(repetitions, inputSize);
      let uploaded: Uint8Array[] = [];
      costs.encrypt[top] = perRun(1, () => (uploaded = session.encryptCiphertexts(features, 1, { first: 0, count }))) / count;
      // Into a new ciphertext each time, as the engine does (allocation is part of its cost).
      costs.load[top] = perRun(count, () => fresh().loadFromArray(context, uploaded[0]!));
      const input = fresh();
      input.loadFromArray(context, uploaded[0]!);
      const keyBytes = session.relinearizationKeys();
      if (keyBytes.length > 0) relinKeys.loadFromArray(context, keyBytes);
      const product = fresh();
      const sum = fresh();
      const square = fresh();
      for (let level = top; level >= 0; --level) {
        const x = fresh();
        engine.evaluator.cipherModSwitchTo(input, engine.parmsIds[level]!, x);
        costs.constant[level] = perRun(repetitions, () => engine.constants.load(0.5, 2 ** 20, level, engine.parmsIds[level]!));
        engine.evaluator.multiplyPlain(x, engine.constants.plaintext, sum);
        costs.product[level] = perRun(repetitions, () => {
          engine.evaluator.multiplyPlain(x, engine.constants.plaintext, product);
          engine.evaluator.addInplace(sum, product);
        });
        if (engine.kernel) measureKernelCosts(engine, engine.kernel, x, level, repetitions, costs);
        if (level === 0) break;
        costs.modSwitch[level] = perRun(repetitions, () => engine.evaluator.cipherModSwitchTo(x, engine.parmsIds[level - 1]!, product));
        costs.multiply[level] = perRun(repetitions, () => engine.evaluator.square(x, square));
        if (keyBytes.length > 0) {
          costs.relinearize[level] = perRun(repetitions, () => engine.evaluator.relinearize(square, relinKeys, product));
        }
        costs.rescale[level] = perRun(repetitions, () => engine.evaluator.rescaleToNext(square, product));
      }
      const last = fresh();
      engine.evaluator.cipherModSwitchTo(input, engine.parmsIds[0]!, last);
      const bytes = last.saveToArray(seal.ComprModeType.none) as Uint8Array;
      const outputs = session.summary.outputSize;
      const result = encodeResult({
        fingerprint: engine.he.fingerprint,
        samples: 1,
        outputs,
        slots: engine.he.slots,
        firstBatch: 0,
        batches: [Array.from({ length: outputs }, () => bytes)],
      });
      costs.decrypt[0] = perRun(1, () => session.decryptResult(result)) / outputs;
      const share = (threadCpuMs() - cpuStarted) / (performance.now() - wallStarted);
      return { cpuMs: costs, cpuShare: Math.min(1, Math.max(MIN_CPU_SHARE, share)) };
    });
  } finally {
    for (const ciphertext of owned) ciphertext.delete();
    relinKeys.delete();
  }
}

/**
 * The residue kernel's operations at `level` (residueLinear.ts), `x` a ciphertext of that
 * level: reading its residues into the kernel's memory; the multiply-adds of one call over a
 * chunk of inputs at the layer's block size (residueKernelProbe.ts; two outputs reading every
 * input: a dense layer's case); finishing and writing one output.
 */
function measureKernelCosts(engine: EngineContext, kernel: ResidueKernel, x: Ciphertext, level: number, repetitions: number, costs: { [operation in Operation]: (number | undefined)[] }): void {
  const n = engine.he.parameters.polyModulusDegree;
  const moduli = engine.moduli[level]!;
  const primes = moduli.length;
  const probe = kernelProbe(kernel, { n, moduli, terms: CHUNK, polys: 2, outputs: 2, block: BLOCK });
  costs.multiplyAdd[level] = perRun(1, () => probe.accumulate()) / probe.multiplyAdds;
  const biasAt = 16 * primes;
  const dataAt = biasAt + 8 * primes;
  const bytes = 2 * n * primes * 8;
  kernel.reserve(dataAt + bytes);
  kernel.setPrimes(0, moduli);
  kernel.words(biasAt, primes).fill(0n);
  costs.readResidues[level] = perRun(repetitions, () => readResidues(engine, x, primes, kernel.bytes(dataAt, bytes)));
  const writer = new CiphertextWriter(engine, x, primes);
  costs.writeResidues[level] = perRun(repetitions, () => {
    kernel.finish(dataAt, n, 0, primes, 2, biasAt);
    writer.write(kernel.bytes(dataAt, bytes), 2, x.scale()).delete();
  });
}

/** CPU and wall seconds each step will take at `costs`. */
export function estimateSteps(steps: readonly WorkStep[], { cpuMs, cpuShare }: OperationCosts): StepEstimate[] {
  return steps.map(({ step, side, description, operations }) => {
    let ms = 0;
    for (const { operation, level, count } of operations) ms += count * (cpuMs[operation][level] ?? nearestCost(cpuMs[operation], level));
    return { step, side, description, cpuSeconds: ms / 1000, seconds: ms / 1000 / cpuShare };
  });
}

/** An operation's cost at the measured level nearest to `level` (0 when never measured). */
function nearestCost(byLevel: readonly (number | undefined)[], level: number): number {
  for (let distance = 1; distance < byLevel.length + level + 1; ++distance) {
    const cost = byLevel[level - distance] ?? byLevel[level + distance];
    if (cost !== undefined) return cost;
  }
  return 0;
}
