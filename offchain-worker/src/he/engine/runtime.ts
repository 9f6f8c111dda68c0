/**
 * The engine's per-thread state: one SEAL instance (node-seal loaded in this realm) and, per
 * parameter set in use, a context with its evaluator, the parms_id and dropped prime of every
 * level, and the constant-plaintext templates. A worker_threads pool creates one runtime per
 * thread (`createEngineRuntime()` in the thread) and reuses it for every job.
 */
import { createHeContext, type HeContext, sealCall, type HeParameters, loadSeal, type LoadSealOptions, type ParmsIdType, type Seal } from "@modelbazaar/sdk/he";
import type { Evaluator } from "node-seal";
import { ConstantPlaintexts } from "./constantPlaintexts.ts";

/** One parameter set's evaluation tools. Chain index 0 is the last level (q0 only). */
export interface EngineContext {
  readonly he: HeContext;
  readonly evaluator: Evaluator;
  /** parmsIds[chainIndex]. */
  readonly parmsIds: readonly ParmsIdType[];
  /** The prime a rescale from `chainIndex` drops (its last one), as a number. */
  readonly droppedPrime: readonly number[];
  /** Chain index of freshly encrypted ciphertexts (the first data level). */
  readonly topLevel: number;
  readonly constants: ConstantPlaintexts;
}

export interface EngineRuntime {
  readonly seal: Seal;
  contextFor(parameters: HeParameters): EngineContext;
  /** Frees every SEAL object the runtime holds. */
  delete(): void;
}

function levelsOf(he: HeContext): { parmsIds: ParmsIdType[]; droppedPrime: number[] } {
  const parmsIds: ParmsIdType[] = [];
  const droppedPrime: number[] = [];
  let data = he.context.firstContextData();
  for (;;) {
    const index = data.chainIndex();
    parmsIds[index] = data.parmsId();
    const parms = data.parms();
    const moduli = parms.coeffModulus();
    const last = moduli.get(moduli.size() - 1)!;
    droppedPrime[index] = Number(last.value());
    last.delete();
    moduli.delete();
    parms.delete();
    if (index === 0) break;
    const next = data.nextContextData();
    data.delete();
    data = next;
  }
  data.delete();
  return { parmsIds, droppedPrime };
}

function createEngineContext(seal: Seal, parameters: HeParameters): EngineContext {
  const he = createHeContext(seal, parameters);
  return sealCall("preparing the evaluator", () => {
    const { parmsIds, droppedPrime } = levelsOf(he);
    return {
      he,
      evaluator: new seal.Evaluator(he.context),
      parmsIds,
      droppedPrime,
      topLevel: parmsIds.length - 1,
      constants: new ConstantPlaintexts(he),
    };
  });
}

export async function createEngineRuntime(options: LoadSealOptions = {}): Promise<EngineRuntime> {
  const seal = await loadSeal(options);
  const contexts = new Map<string, EngineContext>();
  return {
    seal,
    contextFor(parameters) {
      const key = JSON.stringify(parameters);
      let context = contexts.get(key);
      if (!context) {
        context = createEngineContext(seal, parameters);
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
