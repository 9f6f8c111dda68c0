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

/**
 * The realm's SEAL instance, loaded on first use.
 *
 * node-seal's entry sets `locateFile` to `new URL(path, import.meta.url)` computed at run time,
 * which no bundler can follow: in a production build of the dApp it names /assets/seal_throws.wasm,
 * a file the build never wrote (it emits the .wasm under a hashed name), so the host answers
 * index.html. Unless the caller names the file, `locateFile` is therefore set to undefined, and
 * the Emscripten module's own `new URL("seal_throws.wasm", import.meta.url)`, which Vite rewrites
 * to the emitted file, finds it: in Node, in Vite's dev server and in a production build alike.
 */
export function loadSeal(options: LoadSealOptions = {}): Promise<Seal> {
  instance ??= SEAL({ locateFile: options.locateFile }).catch((error: unknown) => {
    instance = undefined;
    throw toHeError(error, "loading the node-seal WebAssembly module");
  });
  return instance;
}
