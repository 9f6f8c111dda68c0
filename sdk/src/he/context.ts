/**
 * A SEAL CKKS context for one parameter set, with its encoder and the parameters'
 * fingerprint (SEAL's parms_id of the full chain: a hash of N and every prime), which the
 * wire container carries so a receiver can refuse ciphertexts made for other parameters
 * before touching them.
 */
import { HeError, sealCall } from "./heError.ts";
import type { HeParameters } from "./parameters.ts";
import type { CKKSEncoder, ParmsIdType, SEALContext, Seal } from "./seal.ts";

export interface HeContext {
  readonly seal: Seal;
  readonly parameters: HeParameters;
  readonly context: SEALContext;
  readonly encoder: CKKSEncoder;
  readonly slots: number;
  /** 32 bytes: SEAL's parms_id of the key level. */
  readonly fingerprint: Uint8Array;
  /** 2^scaleBits. */
  readonly scale: number;
  /** Frees the SEAL objects. */
  delete(): void;
}

/** The 32 bytes of a parms_id (four little-endian 64-bit words). */
export function parmsIdBytes(parmsId: ParmsIdType): Uint8Array {
  const words: unknown = parmsId.values();
  const list = Array.from(words as ArrayLike<bigint | number>, (word) => BigInt(word));
  const bytes = new Uint8Array(8 * list.length);
  const view = new DataView(bytes.buffer);
  list.forEach((word, i) => view.setBigUint64(8 * i, BigInt.asUintN(64, word), true));
  return bytes;
}

export function createHeContext(seal: Seal, parameters: HeParameters): HeContext {
  return sealCall("creating the CKKS context", () => {
    const parms = new seal.EncryptionParameters(seal.SchemeType.ckks);
    parms.setPolyModulusDegree(parameters.polyModulusDegree);
    const chain = seal.CoeffModulus.Create(parameters.polyModulusDegree, Int32Array.from(parameters.coeffModulusBits));
    parms.setCoeffModulus(chain);
    chain.delete();
    const context = new seal.SEALContext(parms, true, seal.SecLevelType.tc128);
    parms.delete();
    if (!context.parametersSet()) {
      context.delete();
      throw new HeError("no-parameters", `SEAL rejected the parameters ${JSON.stringify(parameters)} at 128-bit security.`);
    }
    const encoder = new seal.CKKSEncoder(context);
    const keyParmsId = context.keyParmsId();
    const fingerprint = parmsIdBytes(keyParmsId);
    keyParmsId.delete();
    return {
      seal,
      parameters,
      context,
      encoder,
      slots: encoder.slotCount(),
      fingerprint,
      scale: 2 ** parameters.scaleBits,
      delete() {
        encoder.delete();
        context.delete();
      },
    };
  });
}

export function sameFingerprint(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
