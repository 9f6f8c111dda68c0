/**
 * Loads node-seal (SEAL 4.1 in WebAssembly) once per JavaScript realm: one instance per
 * browser tab or worker thread, shared by every HE context made in it. Each instance has its
 * own 4 GB heap, so a thread pool gets one SEAL per thread by importing this in each thread.
 */
import SEAL from "node-seal";
import type { MainModule } from "node-seal";
import { toHeError } from "./heError.ts";

export type Seal = MainModule;
export type {
  CKKSEncoder,
  Ciphertext,
  Decryptor,
  Encryptor,
  KeyGenerator,
  ParmsIdType,
  Plaintext,
  RelinKeys,
  SEALContext,
  SecretKey,
} from "node-seal";

export interface LoadSealOptions {
  /** Where the .wasm file is served (browser builds: import it with `?url`). */
  readonly locateFile?: (path: string) => string;
}

let instance: Promise<Seal> | undefined;

/** The realm's SEAL instance, loaded on first use. */
export function loadSeal(options: LoadSealOptions = {}): Promise<Seal> {
  instance ??= SEAL(options.locateFile ? { locateFile: options.locateFile } : {}).catch((error: unknown) => {
    instance = undefined;
    throw toHeError(error, "loading the node-seal WebAssembly module");
  });
  return instance;
}
