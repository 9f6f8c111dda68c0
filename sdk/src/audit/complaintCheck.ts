/**
 * Complaint re-checking for the audit: a purchase refunded because a complaint was upheld is
 * justified only if the complaint really proves a bad chunk. The complaint is decoded from
 * the calldata of the `complain` transaction and checked as FairExchange.complain does: it
 * opens the seller's delivery commitment, both Merkle paths (in the ciphertext root and in
 * the model root: the buyer's copy when the seller committed one, else the listing's) have the
 * tree's depth and lead to their roots, and the decrypted chunk does not hash to the model's leaf.
 */
import { bytesToHex, decodeFunctionData, hexToBytes, isAddressEqual, keccak256, type Address, type Hex, type PublicClient } from "viem";
import { chunkCount, chunkLeaf, keyHash, keystream, rootFromProof, treeDepth } from "../delivery/chunkMerkle.ts";
import { modelMarketAbi } from "../generated/abis.ts";
import type { ListingRecord, PurchaseRecord } from "./marketTrail.ts";

/** Whether an upheld complaint was justified, with the reason. */
export interface ComplaintVerdict {
  readonly justified: boolean;
  readonly detail: string;
}

/** Re-checks the complaint that refunded `purchase` (which must have one). */
export async function recheckComplaint(client: PublicClient, market: Address, purchase: PurchaseRecord, listing: ListingRecord): Promise<ComplaintVerdict> {
  const hash = purchase.complaint!.at.transactionHash;
  const tx = await client.getTransaction({ hash });
  if (!tx.to || !isAddressEqual(tx.to, market)) return { justified: false, detail: `the complaint ${hash} did not call the market directly, so it cannot be read from the calldata` };
  let call;
  try {
    call = decodeFunctionData({ abi: modelMarketAbi, data: tx.input });
  } catch {
    return { justified: false, detail: `the calldata of ${hash} is not a market function call` };
  }
  if (call.functionName !== "complain" || call.args[0] !== purchase.purchaseId) {
    return { justified: false, detail: `the transaction ${hash} is not a complaint about purchase ${purchase.purchaseId}` };
  }
  const c = call.args[1];
  const wrong = (reason: string): ComplaintVerdict => ({ justified: false, detail: `the upheld complaint ${reason}` });
  const delivery = purchase.delivery;
  if (!delivery || c.ciphertextRoot !== delivery.ciphertextRoot || keyHash(hexToBytes(c.key)) !== delivery.keyHash) return wrong("does not open the delivery commitment");
  if (purchase.key && purchase.key.key !== c.key) return wrong("uses another key than the one revealed");
  const model = purchase.copy ? { root: purchase.copy.copyRoot, size: purchase.copy.copySize, name: "the root of the buyer's copy" } : { root: listing.terms.modelRoot, size: listing.terms.modelSize, name: "the listing's model root" };
  const depth = treeDepth(chunkCount(Number(model.size)));
  if (c.ciphertextProof.length !== depth || c.plaintextProof.length !== depth) return wrong(`has Merkle paths of the wrong length (the tree has depth ${depth})`);
  const index = Number(c.index);
  if (rootFromProof(bytesToHex(chunkLeaf(hexToBytes(c.ciphertextChunk))), index, c.ciphertextProof) !== c.ciphertextRoot) return wrong("has a ciphertext path that misses the ciphertext root");
  if (rootFromProof(c.plaintextLeaf, index, c.plaintextProof) !== model.root) return wrong(`has a model path that misses ${model.name}`);
  const decrypted = xor(c.ciphertextChunk, keystream(hexToBytes(c.key), index));
  if (keccak256(decrypted) === c.plaintextLeaf) return wrong(`names chunk ${index}, which decrypts correctly`);
  return { justified: true, detail: `chunk ${index} decrypts to bytes that do not hash to leaf ${index} of the model root` };
}

function xor(chunk: Hex, stream: Uint8Array): Uint8Array {
  return hexToBytes(chunk).map((byte, i) => byte ^ stream[i]!);
}
