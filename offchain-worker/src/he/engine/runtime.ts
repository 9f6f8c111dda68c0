/**
 * The engine's per-thread state: one SEAL instance (node-seal loaded in this realm) and, per
 * parameter set in use, a context with its evaluator, the parms_id and dropped prime of every
 * level, and the constant-plaintext templates. A worker_threads pool creates one runtime per
 * thread (`createEngineRuntime()` in the thread) and reuses it for every job.
 *
 * Linear layers run on the residue kernel (residueLinear.ts) unless the runtime is created
 * with `linearKernel: "seal"` (SEAL's ciphertext x constant products, one per weight: the
 * reference the kernel is tested against).
 */
import { createHeContext, type HeContext, sealCall, type HeParameters, loadSeal, type LoadSealOptions, type ParmsIdType, type Seal } from "@modelbazaar/sdk/he";
import type { Evaluator } from "node-seal";
import { ConstantPlaintexts } from "./constantPlaintexts.ts";
import { ResidueKernel } from "./residueKernel.ts";

/** How linear layers are evaluated: the residue kernel (default) or SEAL's per-weight products. */
export type LinearKernel = "residues" | "seal";

export interface EngineRuntimeOptions extends LoadSealOptions {
  readonly linearKernel?: LinearKernel;
}

/** One parameter set's evaluation tools. Chain index 0 is the last level (q0 only). */
export interface EngineContext {
  readonly he: HeContext;
  readonly evaluator: Evaluator;
  /** parmsIds[chainIndex]. */
  readonly parmsIds: readonly ParmsIdType[];
  /** The prime a rescale from `chainIndex` drops (its last one), as a number. */
  readonly droppedPrime: readonly number[];
  /** moduli[chainIndex]: the data primes of that level, q0 first. */
  readonly moduli: readonly (readonly bigint[])[];
  /** Chain index of freshly encrypted ciphertexts (the first data level). */
  readonly topLevel: number;
  readonly constants: ConstantPlaintexts;
  /** The thread's residue kernel, shared by its contexts; undefined: SEAL's products. */
  readonly kernel: ResidueKernel | undefined;
}

export interface EngineRuntime {
  readonly seal: Seal;
  contextFor(parameters: HeParameters): EngineContext;
  /** Frees every SEAL object the runtime holds. */
  delete(): void;
}

function levelsOf(he: HeContext): { parmsIds: ParmsIdType[]; droppedPrime: number[]; moduli: bigint[][] } {
  const parmsIds: ParmsIdType[] = [];
  const droppedPrime: number[] = [];
  const moduli: bigint[][] = [];
  let data = he.context.firstContextData();
  for (;;) {
    const index = data.chainIndex();
    parmsIds[index] = data.parmsId();
    const parms = data.parms();
    const vector = parms.coeffModulus();
    moduli[index] = [];
    for (let j = 0; j < vector.size(); ++j) {
      const modulus = vector.get(j)!;
      moduli[index].push(modulus.value());
      modulus.delete();
    }
    droppedPrime[index] = Number(moduli[index].at(-1));
    vector.delete();
    parms.delete();
    if (index === 0) break;
    const next = data.nextContextData();
    data.delete();
    data = next;
  }
  data.delete();
  return { parmsIds, droppedPrime, moduli };
}

function createEngineContext(seal: Seal, parameters: HeParameters, kernel: ResidueKernel | undefined): EngineContext {
  const he = createHeContext(seal, parameters);
  return sealCall("preparing the evaluator", () => {
    const { parmsIds, droppedPrime, moduli } = levelsOf(he);
    return {
      he,
      evaluator: new seal.Evaluator(he.context),
      parmsIds,
      droppedPrime,
      moduli,
      topLevel: parmsIds.length - 1,
      constants: new ConstantPlaintexts(he),
      kernel,
    };
  });
}

export async function createEngineRuntime(options: EngineRuntimeOptions = {}): Promise<EngineRuntime> {
  const seal = await loadSeal(options);
  const kernel = options.linearKernel === "seal" ? undefined : new ResidueKernel();
  const contexts = new Map<string, EngineContext>();
  return {
    seal,
    contextFor(parameters) {
      const key = JSON.stringify(parameters);
      let context = contexts.get(key);
      if (!context) {
        context = createEngineContext(seal, parameters, kernel);
        contexts.set(key, context);
      }
      return context;
    },
    delete() {
      for (const context of contexts.values()) {
        context.constants.delete();
        context.evaluator.delete();
        for (const parmsId of context.parmsIds) parmsId.delete();
        context.he.delete();
      }
      contexts.clear();
    },
  };
}
