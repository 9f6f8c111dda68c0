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
  type SignalValue = string | bigint | number;
  export type CircuitSignals = Record<string, SignalValue | readonly SignalValue[] | readonly (readonly SignalValue[])[]>;
  export interface Logger {
    /** Progress lines of long loops (powersOfTau.newAccumulator calls it every 100,000 points). */
    log(message: string): void;
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

  /** A BN254 (or BLS12-381) curve of ffjavascript; it owns worker threads until terminated. */
  export interface Curve {
    terminate(): Promise<void>;
  }
  export const curves: {
    getCurveFromName(name: "bn128" | "bls12381"): Promise<Curve>;
  };

  /** Phase 1 (powers of tau). Every function returns the new contribution's hash. */
  export const powersOfTau: {
    newAccumulator(curve: Curve, power: number, ptau: SnarkFile, logger?: Logger): Promise<Uint8Array>;
    contribute(oldPtau: SnarkFile, newPtau: SnarkFile, name: string, entropy: string, logger?: Logger): Promise<Uint8Array>;
    beacon(oldPtau: SnarkFile, newPtau: SnarkFile, name: string, beaconHashHex: string, iterationsExp: number, logger?: Logger): Promise<Uint8Array | false>;
    preparePhase2(oldPtau: SnarkFile, newPtau: SnarkFile, logger?: Logger): Promise<void>;
  };

  export interface Groth16VerificationKey {
    protocol: "groth16";
    curve: string;
    nPublic: number;
    [key: string]: unknown;
  }

  /** Phase 2 (the circuit-specific zkey). */
  export const zKey: {
    newZKey(r1cs: SnarkFile, ptau: SnarkFile, zkey: SnarkFile, logger?: Logger): Promise<Uint8Array>;
    contribute(oldZkey: SnarkFile, newZkey: SnarkFile, name: string, entropy: string, logger?: Logger): Promise<Uint8Array>;
    beacon(oldZkey: SnarkFile, newZkey: SnarkFile, name: string, beaconHashHex: string, iterationsExp: number, logger?: Logger): Promise<Uint8Array | false>;
    /** True iff the zkey derives from the r1cs and the ptau through valid contributions. */
    verifyFromR1cs(r1cs: SnarkFile, ptau: SnarkFile, zkey: SnarkFile, logger?: Logger): Promise<boolean>;
    exportVerificationKey(zkey: SnarkFile, logger?: Logger): Promise<Groth16VerificationKey>;
    /** Renders the template of the zkey's protocol (snarkjs's templates/verifier_groth16.sol.ejs). */
    exportSolidityVerifier(zkey: SnarkFile, templates: { groth16: string }, logger?: Logger): Promise<string>;
  };

  export interface Groth16Proof {
    pi_a: string[];
    pi_b: string[][];
    pi_c: string[];
    protocol: "groth16";
    curve: string;
  }
  /** The public signals, as decimal strings. */
  export type PublicSignals = string[];

  export const groth16: {
    fullProve(input: CircuitSignals, wasm: SnarkFile | Uint8Array, zkey: SnarkFile | Uint8Array, logger?: Logger): Promise<{ proof: Groth16Proof; publicSignals: PublicSignals }>;
    /** Proves from a witness file already computed (snarkjs.wtns.calculate). */
    prove(zkey: SnarkFile | Uint8Array, wtns: SnarkFile, logger?: Logger): Promise<{ proof: Groth16Proof; publicSignals: PublicSignals }>;
    verify(vkey: Groth16VerificationKey, publicSignals: PublicSignals, proof: Groth16Proof, logger?: Logger): Promise<boolean>;
  };
}
