/**
 * The samples a contested refund must open (docs/DISPUTES.md §7, `openSamples`): drawn from
 * both parties' secrets once both are public, so neither chose them alone.
 *
 *   seed  = keccak256(abi.encode(bytes32 secret_b, bytes32 secret_s, uint256 chainid,
 *                                address market, uint256 testId))
 *   draw t = uint256(keccak256(abi.encode(bytes32 seed, uint256 t))) mod n,   t = 0, 1, 2, ...
 *   indices = the draws in order, a draw equal to an earlier index skipped, until
 *             k_eff = min(OPEN_SLOTS, n) distinct indices are taken
 *
 * secret_b is the buyer's (challengeCommitment.ts, committed as H_b at the claim), secret_s the
 * seller's (published with `contest`). The contract derives the same list in `openSamples` and
 * passes it, packed (openCircuitInput.ts `packIndices`), as public signals of Open(N, 16). For
 * n <= 16 every sample is opened (in the draw order). A list of n < 16 distinct indices needs a
 * coupon collector's n·H_n ≈ 50 draws at n = 15 in expectation; `MAX_DRAWS` bounds the loop.
 */
import { encodeAbiParameters, isAddress, keccak256, type Address, type Hex } from "viem";
import { requireIntegerIn } from "./fieldElement.ts";

/** K: how many samples a contest opens at most (Open(N, K = 16), docs/DISPUTES.md §5.2). */
export const OPEN_SLOTS = 16;
/** The SDK gives up after this many draws (never reached: 16 of n >= 2 takes ~55 on average). */
export const MAX_DRAWS = 4096;

/** What the seed of a contest's indices is derived from. */
export interface ChallengeSeedSource {
  /** The buyer's secret (challengeSecret), 32 bytes. */
  secretB: Hex;
  /** The seller's secret published with `contest`, 32 bytes. */
  secretS: Hex;
  chainId: bigint | number;
  /** The market contract's address. */
  market: Address;
  testId: bigint;
}

const uint256 = (name: string, value: bigint | number): bigint => {
  const v = typeof value === "number" && Number.isSafeInteger(value) ? BigInt(value) : value;
  if (typeof v !== "bigint" || v < 0n || v >= 1n << 256n) throw new RangeError(`${name} must be a uint256, got ${String(value)}`);
  return v;
};
const bytes32 = (name: string, value: Hex): Hex => {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(value)) throw new RangeError(`${name} must be 32 bytes of hex, got ${String(value)}`);
  return value;
};

/** seed = keccak256(abi.encode(secret_b, secret_s, chainid, market, testId)). */
export function challengeSeed({ secretB, secretS, chainId, market, testId }: ChallengeSeedSource): Hex {
  if (!isAddress(market)) throw new RangeError(`market must be an address (checksummed or all lowercase), got ${String(market)}`);
  return keccak256(
    encodeAbiParameters(
      [{ type: "bytes32" }, { type: "bytes32" }, { type: "uint256" }, { type: "address" }, { type: "uint256" }],
      [bytes32("secretB", secretB), bytes32("secretS", secretS), uint256("chainId", chainId), market, uint256("testId", testId)],
    ),
  );
}

/** Draw t: uint256(keccak256(abi.encode(seed, t))) mod n. */
export function challengeDraw(seed: Hex, t: number, sampleCount: number): number {
  requireIntegerIn("draw t", t, 0, Number.MAX_SAFE_INTEGER);
  requireIntegerIn("sampleCount", sampleCount, 1, 2 ** 32);
  const h = keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "uint256" }], [bytes32("seed", seed), BigInt(t)]));
  return Number(BigInt(h) % BigInt(sampleCount));
}

/** k_eff = min(OPEN_SLOTS, n): how many samples a contest of an n-sample test opens. */
export function openedCount(sampleCount: number): number {
  requireIntegerIn("sampleCount", sampleCount, 1, 2 ** 32);
  return Math.min(OPEN_SLOTS, sampleCount);
}

/** The k_eff distinct indices of `seed` over n samples, in draw order (duplicates skipped). */
export function challengeIndices(seed: Hex, sampleCount: number): number[] {
  const k = openedCount(sampleCount);
  const taken = new Set<number>();
  const indices: number[] = [];
  for (let t = 0; indices.length < k; t++) {
    if (t >= MAX_DRAWS) throw new Error(`no ${k} distinct indices of ${sampleCount} in ${MAX_DRAWS} draws`);
    const index = challengeDraw(seed, t, sampleCount);
    if (!taken.has(index)) {
      taken.add(index);
      indices.push(index);
    }
  }
  return indices;
}

/** The indices a contest opens, from the secrets and the test (challengeSeed, then challengeIndices). */
export function contestIndices(source: ChallengeSeedSource, sampleCount: number): number[] {
  return challengeIndices(challengeSeed(source), sampleCount);
}
