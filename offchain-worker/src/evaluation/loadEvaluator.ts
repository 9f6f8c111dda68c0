/**
 * Loads an evaluator module by path and creates its evaluator: the one place where the
 * service turns the configured module name into an {Evaluator}, on the main thread and in
 * every evaluation thread alike.
 */
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Evaluator, EvaluatorModule, EvaluatorOptions } from "./evaluator.ts";
import { messageOf } from "../messageOf.ts";

export class EvaluatorModuleError extends Error {
  override readonly name = "EvaluatorModuleError";
}

/** `modulePath` is a file path (relative to the working directory) or a file: URL. */
export function evaluatorModuleUrl(modulePath: string): string {
  if (modulePath.startsWith("file:")) return modulePath;
  return pathToFileURL(isAbsolute(modulePath) ? modulePath : resolve(modulePath)).href;
}

export async function loadEvaluator(moduleUrl: string, options: EvaluatorOptions): Promise<Evaluator> {
  let loaded: Partial<EvaluatorModule>;
  try {
    loaded = (await import(moduleUrl)) as Partial<EvaluatorModule>;
  } catch (error) {
    throw new EvaluatorModuleError(`cannot load the evaluator module ${moduleUrl}: ${messageOf(error)}`, { cause: error });
  }
  if (typeof loaded.createEvaluator !== "function") {
    throw new EvaluatorModuleError(`the evaluator module ${moduleUrl} does not export a createEvaluator(options) function`);
  }
  return loaded.createEvaluator(options);
}
