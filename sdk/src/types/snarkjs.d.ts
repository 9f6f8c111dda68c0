/**
 * The part of snarkjs (0.7.x, untyped JavaScript) the project uses. Files may be paths or
 * fastfile memory objects ({ type: "mem" }, filled in by the writer).
 */
declare module "snarkjs" {
  export interface MemFile {
    type: "mem";
    data?: Uint8Array;
  }
  export type SnarkFile = string | MemFile;
  export type CircuitSignals = Record<string, string | bigint | number | readonly (string | bigint | number)[]>;
  export interface Logger {
    info(message: string): void;
    warn(message: string): void;
    error(message: string): void;
    debug(message: string): void;
  }

  export const wtns: {
    /** Runs the circuit's witness generator (its .wasm) on `input`, writing a .wtns file. */
    calculate(input: CircuitSignals, wasm: SnarkFile, wtns: SnarkFile, options?: Record<string, unknown>): Promise<void>;
    /** The witness vector of a .wtns file (index 0 is the constant 1). */
    exportJson(wtns: SnarkFile): Promise<bigint[]>;
    /** Checks that a witness satisfies every constraint of an .r1cs file. */
    check(r1cs: SnarkFile, wtns: SnarkFile, logger?: Logger): Promise<boolean>;
  };
}
