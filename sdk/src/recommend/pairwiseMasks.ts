/**
 * Pairwise masks of secure aggregation (Bonawitz et al. 2017, the semi-honest variant without
 * dropouts): every client of a round takes a fresh x25519 key pair; each pair of roster members
 * u < v (by client id) agrees on a seed from their x25519 shared secret, and both expand it with
 * ChaCha20 into one mask of the vector's length. u adds the mask, v subtracts it (in Z_2^32), so
 * the masks cancel in the sum of all members' uploads while each upload alone is uniformly random
 * to anyone without the seeds (the aggregator holds only public keys).
 *
 * seed(u, v) = SHA-256("modelbazaar/secagg/v1" ‖ round as 8-byte big-endian ‖ len(u) ‖ u ‖ len(v)
 * ‖ v ‖ x25519(u, v)), with ids ascending and one length byte each; mask = ChaCha20(key = seed,
 * nonce = 12 zero bytes) keystream read as little-endian uint32. A seed is used for one round and
 * one vector only (the round is in it, and keys are fresh each round), so the zero nonce is safe.
 */
import { chacha20 } from "@noble/ciphers/chacha.js";
import { x25519 } from "@noble/curves/ed25519";
import { sha256 } from "@noble/hashes/sha2.js";
import { addInRing } from "./fixedPoint.ts";

const DOMAIN = new TextEncoder().encode("modelbazaar/secagg/v1");

/** A client's key pair for one round (never reused: an aborted round's keys are dropped). */
export interface SecureRoundKeyPair {
  readonly privateKey: Uint8Array;
  /** 32 bytes, sent to the aggregator at enrolment. */
  readonly publicKey: Uint8Array;
}

/** One member of a round's roster, as the aggregator announces it. */
export interface RosterMember {
  readonly clientId: string;
  /** 32-byte x25519 public key. */
  readonly publicKey: Uint8Array;
}

/** The masking client: its id and its round's private key. */
export interface MaskingClient {
  readonly clientId: string;
  readonly privateKey: Uint8Array;
}

/** A fresh x25519 key pair from the platform's CSPRNG. */
export function secureRoundKeyPair(): SecureRoundKeyPair {
  const privateKey = x25519.utils.randomPrivateKey();
  return { privateKey, publicKey: x25519.getPublicKey(privateKey) };
}

/** The seed two members share in `round` (ids in either order; the same for both). */
export function pairSeed(round: number, firstId: string, secondId: string, sharedSecret: Uint8Array): Uint8Array {
  const [low, high] = [firstId, secondId].sort(compareIds) as [string, string];
  const ids = [low, high].map((id) => new TextEncoder().encode(id));
  const input = new Uint8Array(DOMAIN.length + 8 + ids.reduce((n, id) => n + 1 + id.length, 0) + sharedSecret.length);
  input.set(DOMAIN);
  let offset = DOMAIN.length;
  new DataView(input.buffer).setBigUint64(offset, BigInt(round), false);
  offset += 8;
  for (const id of ids) {
    if (id.length > 255) throw new RangeError("a client id is at most 255 bytes");
    input[offset++] = id.length;
    input.set(id, offset);
    offset += id.length;
  }
  input.set(sharedSecret, offset);
  return sha256(input);
}

/** `length` uint32 of ChaCha20's keystream under `seed` (a zero nonce: every seed masks one vector). */
export function pairMask(seed: Uint8Array, length: number): Uint32Array {
  const keystream = chacha20(seed, new Uint8Array(12), new Uint8Array(length * 4));
  const view = new DataView(keystream.buffer, keystream.byteOffset, keystream.byteLength);
  return Uint32Array.from({ length }, (_, k) => view.getUint32(k * 4, true));
}

/** Ids compare by code unit, the order roster members are announced in and the one masks add by. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `encoded` plus the mask shared with every other roster member (added towards a larger id,
 * subtracted towards a smaller one) in Z_2^32. `encoded` is left untouched.
 */
export function maskContribution(encoded: Uint32Array, self: MaskingClient, roster: readonly RosterMember[], round: number): Uint32Array {
  const masked = Uint32Array.from(encoded);
  for (const member of roster) {
    if (member.clientId === self.clientId) continue;
    const seed = pairSeed(round, self.clientId, member.clientId, x25519.getSharedSecret(self.privateKey, member.publicKey));
    addInRing(masked, pairMask(seed, encoded.length), compareIds(self.clientId, member.clientId) < 0 ? 1 : -1);
  }
  return masked;
}
