/**
 * The SDK's fair-delivery codec (sdk/src/delivery/chunkMerkle.ts, and checkDelivery of
 * buyerDelivery.ts): its own behaviour, and byte-for-byte agreement with
 * contracts/libraries/ChunkMerkle.sol through {ChunkMerkleHarness}. The buyer's pre-accept
 * check and the seller's side are tested in delivery.test.ts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { bytesToHex, concatBytes, hexToBytes, keccak256, toHex, type Hex } from "viem";
import {
  CHUNK_SIZE,
  ChunkTree,
  checkCiphertext,
  checkDelivery,
  chunkCount,
  DeliveryCheckError,
  chunkLeaf,
  fromChunks,
  keyHash,
  keystream,
  rootFromProof,
  toChunks,
  treeDepth,
  xorChunks,
} from "@modelbazaar/sdk/delivery";
import { modelFile } from "../helpers/market.ts";

const hashPair = (a: Hex, b: Hex): Hex => keccak256(concatBytes([hexToBytes(a), hexToBytes(b)]));
const ZERO: Hex = `0x${"00".repeat(32)}`;
const KEY: Hex = keccak256(toHex("sdk test key"));

/** Flips one bit of a 32-byte word. */
function flip(word: Hex, bit = 0): Hex {
  const bytes = hexToBytes(word);
  bytes[31 - (bit >> 3)]! ^= 1 << (bit & 7);
  return bytesToHex(bytes);
}

/** A tree over `n` distinct chunks. */
function chunksOf(n: number, seed = 7): Uint8Array[] {
  return toChunks(modelFile(n * CHUNK_SIZE, seed));
}

describe("SDK chunkMerkle", async () => {
  const { viem } = await network.create();
  const harness = await viem.deployContract("ChunkMerkleHarness");

  describe("chunking and padding", () => {
    it("cuts 32-byte chunks and zero-pads the last one", () => {
      const file = modelFile(1_000);
      const chunks = toChunks(file);
      assert.equal(chunks.length, 32);
      assert.ok(chunks.every((c) => c.length === CHUNK_SIZE));
      assert.deepEqual(chunks[0], file.subarray(0, 32));
      const last = chunks[31]!;
      assert.deepEqual(last.subarray(0, 8), file.subarray(992, 1_000));
      assert.deepEqual(last.subarray(8), new Uint8Array(24));
    });

    it("adds no padding chunk when the size is a multiple of 32", () => {
      const file = modelFile(64);
      const chunks = toChunks(file);
      assert.equal(chunks.length, 2);
      assert.deepEqual(concatBytes(chunks), file);
    });

    it("turns one byte into one padded chunk and refuses an empty file", () => {
      const chunks = toChunks(Uint8Array.of(0xab));
      assert.equal(chunks.length, 1);
      assert.equal(bytesToHex(chunks[0]!), `0xab${"00".repeat(31)}`);
      assert.throws(() => toChunks(new Uint8Array(0)), RangeError);
    });

    it("does not alias the input file", () => {
      const file = modelFile(40);
      const chunks = toChunks(file);
      chunks[0]![0]! ^= 0xff;
      assert.notEqual(chunks[0]![0], file[0]);
    });

    it("round-trips through fromChunks for sizes around chunk boundaries", () => {
      for (const size of [1, 31, 32, 33, 63, 64, 65, 1_000]) {
        const file = modelFile(size, size);
        assert.deepEqual(fromChunks(toChunks(file), size), file, `size ${size}`);
      }
    });

    it("fromChunks refuses a size its chunks cannot hold", () => {
      assert.throws(() => fromChunks(toChunks(modelFile(40)), 65), RangeError);
      assert.equal(fromChunks(toChunks(modelFile(40)), 64).length, 64);
    });

    it("chunkCount equals the contract's", async () => {
      for (const size of [0, 1, 31, 32, 33, 1_000, 1_048_576, 1_048_577]) {
        assert.equal(BigInt(chunkCount(size)), await harness.read.chunkCount([BigInt(size)]), `size ${size}`);
      }
      assert.equal(chunkCount(1_000), 32);
      assert.equal(chunkCount(33), 2);
      assert.equal(await harness.read.chunkSize(), BigInt(CHUNK_SIZE));
    });
  });

  describe("tree depth", () => {
    const expected: Array<[number, number]> = [
      [1, 0],
      [2, 1],
      [3, 2],
      [4, 2],
      [5, 3],
      [1_024, 10],
      [1_025, 11],
    ];
    for (const [count, depth] of expected) {
      it(`is ${depth} for ${count} leaves, as in the contract`, async () => {
        assert.equal(treeDepth(count), depth);
        assert.equal(await harness.read.depth([BigInt(count)]), BigInt(depth));
      });
    }

    it("ChunkTree.depth follows the leaf count", () => {
      for (const [count, depth] of [[1, 0], [3, 2], [5, 3]] as const) {
        assert.equal(ChunkTree.fromChunks(chunksOf(count)).depth, depth);
      }
    });
  });

  describe("root, proof and rootFromProof", () => {
    it("a one-leaf tree's root is its leaf and its proof is empty", () => {
      const chunks = chunksOf(1);
      const tree = ChunkTree.fromChunks(chunks);
      assert.equal(tree.root, bytesToHex(chunkLeaf(chunks[0]!)));
      assert.deepEqual(tree.proof(0), []);
      assert.equal(rootFromProof(tree.leaf(0), 0, []), tree.root);
    });

    it("parents are keccak256(left ++ right) with zero leaves padding to a power of two", () => {
      const chunks = chunksOf(3);
      const [l0, l1, l2] = chunks.map((c) => bytesToHex(chunkLeaf(c)));
      const tree = ChunkTree.fromChunks(chunks);
      assert.equal(tree.root, hashPair(hashPair(l0!, l1!), hashPair(l2!, ZERO)));
      assert.deepEqual(tree.proof(2), [ZERO, hashPair(l0!, l1!)]);
      assert.deepEqual(tree.proof(1), [l0, hashPair(l2!, ZERO)]);
      assert.equal(tree.leaf(3), ZERO);
    });

    it("fromLeaves and fromChunks agree", () => {
      const chunks = chunksOf(5);
      assert.equal(ChunkTree.fromLeaves(chunks.map(chunkLeaf)).root, ChunkTree.fromChunks(chunks).root);
      assert.throws(() => ChunkTree.fromLeaves([]), RangeError);
    });

    it("rootFromProof rebuilds the root from every leaf of a padded tree", () => {
      const tree = ChunkTree.fromChunks(toChunks(modelFile(1_000)));
      for (let i = 0; i < 32; i++) assert.equal(rootFromProof(tree.leaf(i), i, tree.proof(i)), tree.root, `leaf ${i}`);
      const padded = ChunkTree.fromChunks(chunksOf(5));
      for (let i = 0; i < 8; i++) assert.equal(rootFromProof(padded.leaf(i), i, padded.proof(i)), padded.root, `leaf ${i}`);
    });

    it("rootFromProof of a wrong index or tampered sibling misses the root", () => {
      const tree = ChunkTree.fromChunks(chunksOf(5));
      const proof = tree.proof(2);
      assert.notEqual(rootFromProof(tree.leaf(2), 3, proof), tree.root);
      assert.notEqual(rootFromProof(tree.leaf(2), 2, [flip(proof[0]!), ...proof.slice(1)]), tree.root);
    });

    it("refuses a proof for a leaf outside the tree", () => {
      const tree = ChunkTree.fromChunks(chunksOf(5));
      assert.throws(() => tree.proof(8), RangeError);
      assert.throws(() => tree.leaf(8), RangeError);
    });

    it("a different chunk changes the root", () => {
      const chunks = chunksOf(5);
      const other = chunks.map((c) => Uint8Array.from(c));
      other[4]![31]! ^= 1;
      assert.notEqual(ChunkTree.fromChunks(other).root, ChunkTree.fromChunks(chunks).root);
    });
  });

  describe("keystream, leaf and key hash equal the contract's", () => {
    it("leaf", async () => {
      for (const chunk of [...chunksOf(3), new Uint8Array(32)]) {
        assert.equal(bytesToHex(chunkLeaf(chunk)), await harness.read.leaf([bytesToHex(chunk)]));
      }
    });

    it("keystream", async () => {
      for (const key of [KEY, ZERO, keccak256(toHex("another"))]) {
        for (const index of [0, 1, 31, 32_767, 2 ** 40]) {
          assert.equal(
            bytesToHex(keystream(hexToBytes(key), index)),
            await harness.read.keystream([key, BigInt(index)]),
            `key ${key} index ${index}`,
          );
        }
      }
      assert.notEqual(bytesToHex(keystream(hexToBytes(KEY), 0)), bytesToHex(keystream(hexToBytes(KEY), 1)));
    });

    it("keyHash is keccak256(abi.encode(key))", async () => {
      // the contract hashes a key as the leaf of a chunk is hashed: keccak256 of one word
      assert.equal(keyHash(hexToBytes(KEY)), await harness.read.leaf([KEY]));
    });

    it("xorChunks encrypts chunk i with keystream word i", () => {
      const chunks = chunksOf(3);
      const cipher = xorChunks(chunks, hexToBytes(KEY));
      for (let i = 0; i < 3; i++) {
        const stream = keystream(hexToBytes(KEY), i);
        assert.deepEqual(cipher[i], chunks[i]!.map((b, j) => b ^ stream[j]!));
      }
    });
  });

  describe("contract verify accepts SDK proofs", () => {
    const model = toChunks(modelFile(1_000)); // 32 chunks, depth 5, full tree
    const tree = ChunkTree.fromChunks(model);
    const padded = ChunkTree.fromChunks(chunksOf(5)); // depth 3, leaves 5..7 are zero

    const verify = (t: ChunkTree, proof: readonly Hex[], index: number, depth = t.depth, leaf = t.leaf(index)) =>
      harness.read.verify([proof, BigInt(depth), t.root, leaf, BigInt(index)]);

    it("at the first and last index", async () => {
      assert.equal(await verify(tree, tree.proof(0), 0), true);
      assert.equal(await verify(tree, tree.proof(31), 31), true);
    });

    it("at every index of a padded tree, including a padding leaf", async () => {
      for (let i = 0; i < 8; i++) assert.equal(await verify(padded, padded.proof(i), i), true, `leaf ${i}`);
      assert.equal(padded.leaf(7), ZERO);
    });

    it("in a one-leaf tree with an empty proof", async () => {
      const single = ChunkTree.fromChunks(chunksOf(1));
      assert.equal(await verify(single, [], 0), true);
      assert.equal(await verify(single, [], 1, 0, single.leaf(0)), false, "index 1 lies outside a depth-0 tree");
    });

    it("rejects a wrong index", async () => {
      assert.equal(await verify(tree, tree.proof(4), 5, tree.depth, tree.leaf(4)), false);
      assert.equal(await verify(padded, padded.proof(0), 1, padded.depth, padded.leaf(0)), false);
    });

    it("rejects an index beyond the tree even when its low bits are right", async () => {
      // index 4 + 2**depth walks the same path as 4: only the range check rejects it
      assert.equal(rootFromProof(padded.leaf(4), 4 + 8, padded.proof(4)), padded.root);
      assert.equal(await verify(padded, padded.proof(4), 4 + 8, padded.depth, padded.leaf(4)), false);
    });

    it("rejects a proof of the wrong length", async () => {
      const proof = tree.proof(3);
      assert.equal(await verify(tree, proof.slice(0, -1), 3), false, "too short");
      assert.equal(await verify(tree, [...proof, ZERO], 3), false, "too long");
      assert.equal(await verify(tree, proof, 3, tree.depth + 1), false, "depth mismatch");
    });

    it("rejects a tampered sibling or leaf", async () => {
      const proof = tree.proof(9);
      for (let level = 0; level < proof.length; level++) {
        const tampered = proof.map((s, l) => (l === level ? flip(s, 200) : s));
        assert.equal(await verify(tree, tampered, 9), false, `level ${level}`);
      }
      assert.equal(await verify(tree, proof, 9, tree.depth, flip(tree.leaf(9))), false);
    });
  });

  describe("encryption and checkDelivery", () => {
    const file = modelFile(1_000);
    const model = toChunks(file);
    const modelLeaves = model.map(chunkLeaf);
    const modelTree = ChunkTree.fromLeaves(modelLeaves);
    /** What a buyer holds once the key of `ciphertext` (committed as sent) is revealed. */
    const received = (ciphertext: Uint8Array[], key: Hex = KEY, leaves: readonly Uint8Array[] = modelLeaves) => ({
      ciphertext,
      key,
      modelLeaves: leaves,
      ciphertextRoot: ChunkTree.fromChunks(ciphertext).root,
      modelRoot: modelTree.root,
      modelSize: 1_000,
    });

    it("xorChunks is its own inverse and changes every chunk", () => {
      const cipher = xorChunks(model, hexToBytes(KEY));
      assert.deepEqual(xorChunks(cipher, hexToBytes(KEY)), model);
      cipher.forEach((c, i) => assert.notDeepEqual(c, model[i], `chunk ${i}`));
      assert.notDeepEqual(xorChunks(cipher, hexToBytes(flip(KEY))), model, "another key does not decrypt");
    });

    it("accepts an honest delivery and returns the file unpadded", () => {
      const result = checkDelivery(received(xorChunks(model, hexToBytes(KEY))));
      assert.equal(result.ok, true);
      assert.ok(result.ok);
      assert.deepEqual(result.file, file);
    });

    it("finds the first bad chunk and builds a complaint the contract's checks accept", async () => {
      const cipher = xorChunks(model, hexToBytes(KEY));
      cipher[17]![5]! ^= 0x40;
      cipher[29]![0]! ^= 0x01;
      const result = checkDelivery(received(cipher));
      assert.equal(result.ok, false);
      assert.ok(!result.ok);
      assert.equal(result.badChunk, 17);
      const c = result.complaint;
      const cipherTree = ChunkTree.fromChunks(cipher);
      assert.equal(c.ciphertextRoot, cipherTree.root);
      assert.equal(c.key, KEY);
      assert.equal(c.index, 17n);
      assert.equal(c.ciphertextChunk, bytesToHex(cipher[17]!));
      assert.equal(c.plaintextLeaf, modelTree.leaf(17));
      // what FairExchange.complain checks, step by step, with the contract's own code
      const depth = await harness.read.depth([await harness.read.chunkCount([1_000n])]);
      const cipherLeaf = await harness.read.leaf([c.ciphertextChunk]);
      assert.equal(await harness.read.verify([c.ciphertextProof, depth, c.ciphertextRoot, cipherLeaf, c.index]), true);
      assert.equal(await harness.read.verify([c.plaintextProof, depth, modelTree.root, c.plaintextLeaf, c.index]), true);
      const stream = hexToBytes(await harness.read.keystream([c.key, c.index]));
      const decrypted = bytesToHex(hexToBytes(c.ciphertextChunk).map((b, i) => b ^ stream[i]!));
      assert.notEqual(await harness.read.leaf([decrypted]), c.plaintextLeaf, "the decrypted chunk is wrong");
    });

    it("flags chunk 0 when a different file of the same size was encrypted", () => {
      const cipher = xorChunks(toChunks(modelFile(1_000, 99)), hexToBytes(KEY));
      const result = checkDelivery(received(cipher));
      assert.ok(!result.ok);
      assert.equal(result.badChunk, 0);
    });

    it("flags the last chunk when only its padding differs", () => {
      const plain = model.map((c) => Uint8Array.from(c));
      plain[31]![31] = 1; // a byte past the end of the file
      const result = checkDelivery(received(xorChunks(plain, hexToBytes(KEY))));
      assert.ok(!result.ok);
      assert.equal(result.badChunk, 31);
    });

    it("flags every chunk under the wrong key", () => {
      const result = checkDelivery(received(xorChunks(model, hexToBytes(KEY)), flip(KEY)));
      assert.ok(!result.ok);
      assert.equal(result.badChunk, 0);
      assert.equal(result.complaint.key, flip(KEY));
    });

    // Formerly a suspected gap: checkDelivery trusted the seller's modelLeaves. It now checks them
    // against the listing's modelRoot (and the ciphertext against the committed root) and throws.
    it("throws DeliveryCheckError on forged model leaves that would make a wrong file pass; checkCiphertext reports them", () => {
      const wrongFile = modelFile(1_000, 42);
      const forgedLeaves = toChunks(wrongFile).map(chunkLeaf); // what a cheating seller hands over
      const delivery = received(xorChunks(toChunks(wrongFile), hexToBytes(KEY)), KEY, forgedLeaves);
      // the forged leaves are consistent with the wrong file: only the model root gives them away
      assert.notEqual(ChunkTree.fromLeaves(forgedLeaves).root, modelTree.root);
      assert.throws(() => checkDelivery(delivery), (error: unknown) => {
        assert.ok(error instanceof DeliveryCheckError);
        assert.equal(error.name, "DeliveryCheckError");
        assert.equal(error.message, "the model leaves do not hash to the listing's model root");
        return true;
      });
      assert.deepEqual(checkCiphertext(delivery), { ok: false, reason: "the model leaves do not hash to the listing's model root" });
      // with the listing's real leaves the same delivery is caught as a wrong file, chunk 0
      const honestLeaves = checkDelivery({ ...delivery, modelLeaves });
      assert.ok(!honestLeaves.ok);
      assert.equal(honestLeaves.badChunk, 0);
    });

    it("throws DeliveryCheckError on a ciphertext that is not the committed one", () => {
      const cipher = xorChunks(model, hexToBytes(KEY));
      const committedRoot = ChunkTree.fromChunks(cipher).root;
      const sent = cipher.map((c) => Uint8Array.from(c));
      sent[3]![0]! ^= 1;
      assert.throws(
        () => checkDelivery({ ...received(sent), ciphertextRoot: committedRoot }),
        new DeliveryCheckError("the ciphertext does not hash to the committed ciphertext root"),
      );
      assert.ok(checkDelivery({ ...received(cipher), ciphertextRoot: committedRoot }).ok);
    });

    it("refuses a ciphertext or leaves with a different chunk count (DeliveryCheckError)", () => {
      const cipher = xorChunks(model, hexToBytes(KEY));
      assert.throws(() => checkDelivery(received(cipher.slice(1))), new DeliveryCheckError("the ciphertext has 31 chunks, the model 32"));
      assert.throws(
        () => checkDelivery(received(cipher, KEY, modelLeaves.slice(0, 30))),
        new DeliveryCheckError("30 model leaves were sent, the model has 32 chunks"),
      );
      assert.throws(() => checkDelivery({ ...received(cipher), modelSize: 1_025 }), DeliveryCheckError);
    });
  });
});
