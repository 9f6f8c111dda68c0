/**
 * What each SEAL operation costs on this machine, measured in about a second, and the time a
 * plan's counted work (planWork.ts) will take at those costs: the estimate `model check`
 * prints before its long measurement, and a worker can state for its listings.
 *
 * Every operation of planWork is timed a few times at every level of the chain it runs at,
 * with the plan's own parameters, one thread; times are per operation, in milliseconds,
 * indexed by chain level. The estimate is a sum of count x cost: it ignores memory effects
 * (a large batch group is slower per operation than a hot cache), so it is an estimate, not a
 * promise.
 */
import { encodeResult } from "../../../../sdk/src/he/container.ts";
import type { BuyerSession } from "../../../../sdk/src/he/buyerSession.ts";
import { sealCall } from "../../../../sdk/src/he/heError.ts";
import type { Ciphertext } from "../../../../sdk/src/he/seal.ts";
import type { Operation, WorkStep } from "./planWork.ts";
import type { EngineContext } from "./runtime.ts";

/** Milliseconds per operation, by chain level (levels an operation never runs at are absent). */
export type OperationCosts = { readonly [operation in Operation]: readonly (number | undefined)[] };

export interface StepEstimate {
  readonly step: string;
  readonly side: "buyer" | "worker";
  readonly description: string;
  readonly seconds: number;
}

/** Times `work` over `repetitions` runs after one untimed run (first-use costs such as templates are not per-operation); milliseconds per run. */
function perRun(repetitions: number, work: () => void): number {
  work();
  const started = performance.now();
  for (let r = 0; r < repetitions; ++r) work();
  return (performance.now() - started) / repetitions;
}

/**
 * Measures every operation planWork counts, with `session`'s keys (its relinearization keys
 * are made if they were not yet) and `engine`'s evaluator, both for the plan's parameters.
 */
export function measureOperationCosts(session: BuyerSession, engine: EngineContext, repetitions = 3): OperationCosts {
  const { seal, context } = engine.he;
  const top = engine.topLevel;
  const inputSize = session.summary.inputSize;
  const costs: { [operation in Operation]: (number | undefined)[] } = {
    encrypt: [],
    load: [],
    constant: [],
    product: [],
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
      return costs;
    });
  } finally {
    for (const ciphertext of owned) ciphertext.delete();
    relinKeys.delete();
  }
}

/** Seconds each step will take at `costs`. */
export function estimateSteps(steps: readonly WorkStep[], costs: OperationCosts): StepEstimate[] {
  return steps.map(({ step, side, description, operations }) => {
    let ms = 0;
    for (const { operation, level, count } of operations) ms += count * (costs[operation][level] ?? nearestCost(costs[operation], level));
    return { step, side, description, seconds: ms / 1000 };
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
