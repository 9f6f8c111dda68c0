/**
 * A keyed stream of uniform numbers: keccak256(abi.encode(secret, context, counter)) cut into
 * eight 32-bit words per hash. The seller regenerates each buyer's fingerprint from its secret
 * and the buyer's address alone, so its ledger holds no per-buyer data; without the secret the
 * stream is unpredictable.
 */
import { encodeAbiParameters, hexToBytes, keccak256, type Hex } from "viem";

/** Uniform draws in [0, 1), one after the other. */
export type UniformSource = () => number;

export function keyedUniform(secret: Hex, context: string): UniformSource {
  let counter = 0n;
  let words = new Uint32Array(0);
  let next = 0;
  return () => {
    if (next === words.length) {
      const bytes = hexToBytes(keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "string" }, { type: "uint256" }], [secret, context, counter++])));
      words = new Uint32Array(8);
      const view = new DataView(bytes.buffer, bytes.byteOffset, 32);
      for (let i = 0; i < 8; i++) words[i] = view.getUint32(i * 4);
      next = 0;
    }
    return words[next++]! / 2 ** 32;
  };
}
