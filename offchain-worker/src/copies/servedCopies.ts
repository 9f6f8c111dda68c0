/**
 * The per-buyer fingerprinted copies this worker serves (docs/PROTOCOL.md §7.2; config
 * `listings[].copies`): a buyer's test-drives of a listing that names a copy for it are
 * evaluated with that copy, and the worker signs a CopyReceipt naming the copy's root and size,
 * so the copy the buyer tests is the copy it can buy. Checked once at start, each refusal a
 * {ConfigError} sentence:
 *   - every key is a buyer address, every value a model id the evaluator serves;
 *   - the copy is described to a buyer as the listed model is: the buyer encrypts with the
 *     listing's description (GET /listings), so the copy's encryption parameters and plan shape
 *     must be the same (its plan's `maxMagnitude` may differ: a buyer uses it only to choose
 *     the encryption parameters, which must then be equal);
 *   - the listing has no plan commitment: a contestable listing's refund disputes are decided
 *     by proving the listed model's plan on the buyer's samples (docs/DISPUTES.md §3.1), which a
 *     test-drive evaluated with a copy did not run, so an honest buyer could lose its dispute;
 *   - the evaluator gives the copy's file bytes (Evaluator.modelBytes), from which its root and
 *     size are computed here, once (modelRootOf, as a listing's modelRoot).
 */
import { isDeepStrictEqual } from "node:util";
import { getAddress, isAddress, type Address, type Hex } from "viem";
import { modelRootOf } from "@modelbazaar/sdk/delivery";
import type { MarketClient } from "../chain/marketClient.ts";
import { ConfigError, type ServedModel } from "../config.ts";
import type { Evaluator, ModelDescription } from "../evaluation/evaluator.ts";
import { messageOf } from "../messageOf.ts";

export interface ServedCopy {
  /** The evaluator's model id of the copy. */
  readonly modelId: string;
  /** The copy file's chunk Merkle root and size: what the CopyReceipt signs. */
  readonly copyRoot: Hex;
  readonly copySize: bigint;
}

export class ServedCopies {
  /** listing id (decimal) -> buyer (checksummed) -> copy. */
  readonly #byListing: ReadonlyMap<string, ReadonlyMap<Address, ServedCopy>>;

  constructor(byListing: ReadonlyMap<string, ReadonlyMap<Address, ServedCopy>>) {
    this.#byListing = byListing;
  }

  /** The copy `buyer`'s test-drives of `listingId` are evaluated with, if the seller issued it one. */
  forBuyer(listingId: bigint, buyer: Address): ServedCopy | undefined {
    return this.#byListing.get(listingId.toString())?.get(getAddress(buyer));
  }

  /** The copy a job of `listingId` evaluated with model `modelId`, if that model is one of the listing's copies. */
  ofJob(listingId: bigint, modelId: string): ServedCopy | undefined {
    for (const copy of this.#byListing.get(listingId.toString())?.values() ?? []) if (copy.modelId === modelId) return copy;
    return undefined;
  }
}

/** Every model id the evaluator must load: the listings' and their copies'. */
export function servedModelIds(listings: readonly ServedModel[]): string[] {
  return [...new Set(listings.flatMap((l) => [l.modelId, ...Object.values(l.copies ?? {})]))];
}

/** @throws ConfigError naming the listing and the copy for each refusal above */
export async function servedCopies(listings: readonly ServedModel[], evaluator: Evaluator, market: Pick<MarketClient, "disputeSetup">): Promise<ServedCopies> {
  const byListing = new Map<string, Map<Address, ServedCopy>>();
  for (const listing of listings) {
    const entries = Object.entries(listing.copies ?? {});
    if (entries.length === 0) continue;
    const where = `listing ${listing.listingId}'s copies`;
    const { policy } = await market.disputeSetup(listing.listingId);
    if (policy.planFamily !== 0) {
      throw new ConfigError(
        `${where}: listing ${listing.listingId} is contestable (its dispute policy commits to the listed model's plan), and its refund disputes are decided by proving that plan on the buyer's samples, which a test-drive evaluated with a copy did not run, so an honest buyer could lose its dispute; serve copies only on a listing without a plan commitment (\`bazaar list --no-contest\`)`,
      );
    }
    if (!evaluator.modelBytes) throw new ConfigError(`${where}: the evaluator module does not give the bytes of the model files it serves (Evaluator.modelBytes), so the worker cannot name a copy's bytes in its CopyReceipt`);
    const listed = evaluator.describe(listing.modelId);
    const copies = new Map<Address, ServedCopy>();
    for (const [buyer, modelId] of entries) {
      if (!isAddress(buyer)) throw new ConfigError(`${where}: "${buyer}" is not a buyer address (0x and 40 hex digits, with a valid checksum when mixed-case)`);
      const address = getAddress(buyer);
      if (copies.has(address)) throw new ConfigError(`${where}: buyer ${address} is named twice`);
      const copy = describeCopy(evaluator, modelId, `${where}: the copy "${modelId}" of buyer ${address}`);
      if (!sameForBuyer(listed, copy)) {
        throw new ConfigError(
          `${where}: the copy "${modelId}" of buyer ${address} is not described as the listed model "${listing.modelId}" is (${JSON.stringify(copy)} against ${JSON.stringify(listed)}): the buyer encrypts for the listing's description, so a copy needs the same plan shape and encryption parameters`,
        );
      }
      const { root, size } = modelRootOf(evaluator.modelBytes(modelId));
      copies.set(address, { modelId, copyRoot: root, copySize: size });
    }
    byListing.set(listing.listingId.toString(), copies);
  }
  return new ServedCopies(byListing);
}

function describeCopy(evaluator: Evaluator, modelId: string, what: string): ModelDescription {
  try {
    return evaluator.describe(modelId);
  } catch (error) {
    throw new ConfigError(`${what} is not a model the evaluator serves (${messageOf(error)}); add it to the evaluator's models`);
  }
}

/** Whether a buyer holding `listed` encrypts and decrypts for `copy` alike: the same encryption, and the same plan but for its magnitude. */
function sameForBuyer(listed: ModelDescription, copy: ModelDescription): boolean {
  const { maxMagnitude: _listed, ...listedPlan } = listed.plan;
  const { maxMagnitude: _copy, ...copyPlan } = copy.plan;
  return isDeepStrictEqual(listedPlan, copyPlan) && isDeepStrictEqual(listed.encryption, copy.encryption);
}
