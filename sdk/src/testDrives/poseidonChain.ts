/**
 * The Poseidon chain the test-set commitments absorb their packed words with (the
 * `dataCommitment` C_D of dataCommitmentV2.ts, the prediction commitment and the sample
 * digests), and the lane packing that makes those words. circuits/poseidonChain.circom is the
 * in-circuit twin; test/circuits/refund.test.ts and open.test.ts check both agree.
 *
 *   h(b+1) = Poseidon(h(b), words[15b], ..., words[15b + 14])   zero words past the end
 *   result = h(ceil(words / 15))
 */
import { poseidon16 } from "poseidon-lite/poseidon16";

/** Packed words absorbed with the chain state by one Poseidon(16) call. */
export const WORDS_PER_BLOCK = 15;

/** A domain separator: the ASCII bytes of `tag`, big-endian, as one field element (tag < 32 bytes). */
export function asciiDomain(tag: string): bigint {
  const bytes = new TextEncoder().encode(tag);
  if (bytes.length > 31) throw new RangeError(`a domain tag fits in 31 bytes, "${tag}" has ${bytes.length}`);
  return BigInt(`0x${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`);
}

/** The chain states: index 0 is `start`, index b + 1 the state after block b. */
export function poseidonChain(start: bigint, words: readonly bigint[]): bigint[] {
  const chain = [start];
  for (let at = 0; at < words.length; at += WORDS_PER_BLOCK) {
    const block = words.slice(at, at + WORDS_PER_BLOCK);
    while (block.length < WORDS_PER_BLOCK) block.push(0n);
    chain.push(poseidon16([chain[chain.length - 1]!, ...block]));
  }
  return chain;
}

/**
 * Packs non-negative integers below 2^laneBits `lanesPerWord` to a field element, least
 * significant first; a last partial word is zero-filled. The caller range-checks the values.
 */
export function packLanes(values: readonly number[], laneBits: number, lanesPerWord: number): bigint[] {
  const words: bigint[] = [];
  for (let start = 0; start < values.length; start += lanesPerWord) {
    let word = 0n;
    values.slice(start, start + lanesPerWord).forEach((value, j) => {
      word |= BigInt(value) << BigInt(laneBits * j);
    });
    words.push(word);
  }
  return words;
}
