/**
 * Data builders for the gas benchmark: the model file, listing terms and offers, test-set
 * commitments and fair-delivery payloads. Pure functions over the SDK; nothing here talks to
 * the chain. (The benchmark deliberately does not import the test fixture under test/.)
 */
import { keccak256, toHex, type Address, type Hex } from "viem";
import {
  EXAMPLE_CLAIMED_ACCURACY_BPS as CLAIMED_ACCURACY_BPS,
  EXAMPLE_POLICY as POLICY,
  EXAMPLE_PRICE as PRICE,
  EXAMPLE_TASK as TASK,
  exampleTestFee as testFee,
  pseudoRandomFile as modelFile,
} from "../lib/exampleListing.ts";
import { ECONOMICS_ONLY_DISPUTE_POLICY } from "@modelbazaar/sdk/listings";
import { CHUNK_SIZE, ChunkTree, checkDelivery, chunkLeaf, prepareDelivery, toChunks, type Complaint, type PreparedDelivery } from "@modelbazaar/sdk/delivery";

/** Fair-exchange windows of the benchmarked market (seconds): {delivery, accept, reveal, complaint}. */
export const WINDOWS = { delivery: 3_600, accept: 1_800, reveal: 3_600, complaint: 7_200 } as const;

export const SALE_MODE = { FixedPrice: 0, Auction: 1 } as const;
export const AUCTION_KIND = { FirstPrice: 0, SecondPrice: 1 } as const;

export const TEST_STATUS = { Evaluated: 3, Closed: 5 } as const;
export const PURCHASE_STATUS = { Completed: 8, Refunded: 9 } as const;
export const AUCTION_STATUS = { Settled: 4 } as const;

/** Size of the benchmarked model file: 1 MiB, i.e. 32,768 chunks and a tree of depth 15. */
export const MODEL_SIZE = 1 << 20;

export { CLAIMED_ACCURACY_BPS, POLICY, PRICE, TASK, testFee, modelFile };

/** Sample counts of the two test-drive flavours: within the free samples, and beyond them. */
export const SAMPLES_FREE = 50;
export const SAMPLES_PAID = 200;

export interface Model {
  file: Uint8Array;
  size: number;
  leaves: Uint8Array[];
  root: Hex;
}

export function buildModel(size = MODEL_SIZE): Model {
  const file = modelFile(size);
  const leaves = toChunks(file).map(chunkLeaf);
  return { file, size, leaves, root: ChunkTree.fromLeaves(leaves).root };
}

/**
 * Listing terms. The metadata URI is a realistic CIDv1 (a long string: three data slots),
 * the endpoint a typical URL, so `list` pays for what a real listing stores.
 */
export function listingTerms(model: Model) {
  return {
    modelRoot: model.root,
    modelSize: BigInt(model.size),
    task: TASK,
    claimedAccuracyBps: CLAIMED_ACCURACY_BPS,
    testPolicy: POLICY,
    watermarkCommitment: keccak256(toHex("watermark")),
    disputePolicy: ECONOMICS_ONLY_DISPUTE_POLICY,
  };
}

export function listingOffer(workerSigner: Address, overrides: Partial<{ saleMode: number; price: bigint }> = {}) {
  return {
    metadataURI: "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
    metadataHash: keccak256(toHex("model card")),
    saleMode: SALE_MODE.FixedPrice,
    price: PRICE,
    workerEndpoint: "https://worker.example.org:8787",
    workerSigner,
    ...overrides,
  };
}

/** A test-set commitment: a pseudo-random BN254 field element (248 bits, so below the field). */
export function dataCommitment(label: string): Hex {
  return toHex(BigInt(keccak256(toHex(`test set:${label}`))) >> 8n, { size: 32 });
}

/**
 * Encrypts the model for one purchase. With `corruptChunk`, the seller cheats: that chunk is
 * flipped before encryption, so it decrypts to something that does not match `modelRoot`.
 */
export function buildDelivery(model: Model, label: string, corruptChunk?: number): PreparedDelivery {
  const key = keccak256(toHex(`one-time key:${label}`));
  if (corruptChunk === undefined) return prepareDelivery(model.file, key);
  const corrupted = model.file.slice();
  corrupted[corruptChunk * CHUNK_SIZE] = corrupted[corruptChunk * CHUNK_SIZE]! ^ 0xff;
  return { ...prepareDelivery(corrupted, key), modelLeaves: model.leaves };
}

/** The buyer's side after the key is revealed: decrypt, compare with the model, build the complaint. */
export function buildComplaint(model: Model, delivery: PreparedDelivery): Complaint {
  const check = checkDelivery({ ...delivery, modelRoot: model.root, modelSize: model.size });
  if (check.ok) throw new Error("the delivery decrypts to the model: there is nothing to complain about");
  return check.complaint;
}

