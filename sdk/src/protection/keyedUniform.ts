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
  // The encoding is fixed but for the counter, the head's third word (bytes 64 to 96): write it in place.
  const message = hexToBytes(encodeAbiParameters([{ type: "bytes32" }, { type: "string" }, { type: "uint256" }], [secret, context, 0n]));
  const counterWord = new DataView(message.buffer, message.byteOffset + 64, 32);
  let counter = 0;
  let words = new Uint32Array(0);
  let next = 0;
  return () => {
    if (next === words.length) {
      counterWord.setUint32(28, counter >>> 0);
      counterWord.setUint32(24, Math.floor(counter / 2 ** 32));
      counter++;
      const hash = keccak256(message, "bytes");
      const view = new DataView(hash.buffer, hash.byteOffset, 32);
      words = Uint32Array.from({ length: 8 }, (_, i) => view.getUint32(i * 4));
      next = 0;
    }
    return words[next++]! / 2 ** 32;
  };
}
