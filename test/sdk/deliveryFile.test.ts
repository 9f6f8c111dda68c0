/**
 * The delivery file (sdk/src/delivery/deliveryFile.ts) that carries a purchase's ciphertext
 * and model leaves from seller to buyer: a round trip through prepareDelivery and
 * checkDelivery gives back the exact file, and truncated, foreign or inconsistent files are
 * refused with a sentence.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkDelivery, ChunkTree, toChunks, decodeDeliveryFile, DeliveryFileError, encodeDeliveryFile, prepareDelivery } from "@modelbazaar/sdk/delivery";
import { pseudoRandomFile } from "../../scripts/lib/exampleListing.ts";

describe("delivery file", () => {
  const model = pseudoRandomFile(1_001);
  const prepared = prepareDelivery(model);
  const bytes = encodeDeliveryFile({ purchaseId: 7n, modelSize: model.length, ciphertext: prepared.ciphertext, modelLeaves: prepared.modelLeaves });

  it("round-trips and decrypts to the exact model", () => {
    const file = decodeDeliveryFile(bytes);
    assert.equal(file.purchaseId, 7n);
    assert.equal(file.modelSize, 1_001);
    const result = checkDelivery({ ...file, ciphertextRoot: prepared.ciphertextRoot, modelRoot: ChunkTree.fromChunks(toChunks(model)).root, key: prepared.key });
    assert.ok(result.ok);
    assert.deepEqual(result.file, model);
  });

  it("refuses foreign, truncated and inconsistent files", () => {
    assert.throws(() => decodeDeliveryFile(new TextEncoder().encode('{"not": "a delivery"}')), /not a ModelBazaar delivery file/);
    assert.throws(() => decodeDeliveryFile(bytes.subarray(0, bytes.length - 1)), DeliveryFileError);
    assert.throws(() => encodeDeliveryFile({ purchaseId: 1n, modelSize: 2_000, ciphertext: prepared.ciphertext, modelLeaves: prepared.modelLeaves }), /has 63 chunks/);
  });
});
