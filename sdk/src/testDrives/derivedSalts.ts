/**
 * The salts a v2 test set derives from its one master `salt` (docs/DISPUTES.md §3), so the
 * buyer keeps a single secret:
 *
 *   σ_i   = Poseidon(DOMAIN_SIGMA, salt, i)   the salt of sample i's digest d_i (sampleDigest.ts)
 *   saltP = Poseidon(DOMAIN_PSALT, salt)      the salt of the prediction commitment
 *                                             (predictionCommitment.ts; circuits/commitmentsV2.circom
 *                                             derives it in-circuit)
 *
 * Opening sample j publishes σ_j; Poseidon's one-wayness keeps `salt` (hence every other σ_i,
 * saltP and the label commitment's salt) hidden. Poseidon is circomlib's (poseidon-lite).
 */
import { poseidon2 } from "poseidon-lite/poseidon2";
import { poseidon3 } from "poseidon-lite/poseidon3";
import { requireFieldElement, requireIntegerIn } from "./fieldElement.ts";
import { asciiDomain } from "./poseidonChain.ts";

/** Domain of the per-sample salts σ_i: the ASCII bytes of the tag, big-endian. */
export const DOMAIN_SIGMA_TAG = "ModelBazaar.sampleSalt.v1";
export const DOMAIN_SIGMA = asciiDomain(DOMAIN_SIGMA_TAG);
/** Domain of the prediction commitment's salt saltP. */
export const DOMAIN_PSALT_TAG = "ModelBazaar.predictionSalt.v1";
export const DOMAIN_PSALT = asciiDomain(DOMAIN_PSALT_TAG);
/** Sample indices are below the largest sample count a dispute context holds (32 bits). */
export const MAX_SAMPLE_INDEX_EXCLUSIVE = 2 ** 32;

/** σ_i: the salt of sample `index`'s digest, derived from the master salt. */
export function sampleSalt(salt: bigint, index: number): bigint {
  requireFieldElement("salt", salt);
  requireIntegerIn("sample index", index, 0, MAX_SAMPLE_INDEX_EXCLUSIVE);
  return poseidon3([DOMAIN_SIGMA, salt, BigInt(index)]);
}

/** saltP: the salt of the prediction commitment, derived from the master salt. */
export function predictionSalt(salt: bigint): bigint {
  requireFieldElement("salt", salt);
  return poseidon2([DOMAIN_PSALT, salt]);
}
