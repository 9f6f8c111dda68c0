/**
 * The SDK's two sides of fair delivery: the seller's (sdk/src/delivery/sellerDelivery.ts:
 * newDeliveryKey, prepareDelivery) and the buyer's pre-accept check (checkCiphertext of
 * buyerDelivery.ts), on their own and against the market contract.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bytesToHex, encodeAbiParameters, hexToBytes, keccak256, parseEventLogs, toHex, type Hex } from "viem";
import { ChunkTree, checkCiphertext, checkDelivery, chunkLeaf, newDeliveryKey, prepareDelivery, toChunks, xorChunks } from "@modelbazaar/sdk/delivery";
import { connectMarket, modelFile, PRICE, PURCHASE_STATUS, WINDOWS } from "../helpers/market.ts";

const KEY: Hex = keccak256(toHex("delivery test key"));
const abiKeyHash = (key: Hex): Hex => keccak256(encodeAbiParameters([{ type: "bytes32" }], [key]));

describe("SDK delivery", async () => {
  const m = await connectMarket();
  const { seller, buyer } = m.accounts;
  const { assertions } = m.viem;
  const { time } = m.networkHelpers;

  describe("newDeliveryKey", () => {
    it("is 32 bytes of lowercase hex", () => {
      const key = newDeliveryKey();
      assert.match(key, /^0x[0-9a-f]{64}$/);
      assert.equal(hexToBytes(key).length, 32);
    });

    it("is different on every call", () => {
      const keys = new Set(Array.from({ length: 200 }, () => newDeliveryKey()));
      assert.equal(keys.size, 200);
      assert.ok(!keys.has(`0x${"00".repeat(32)}`));
    });
  });

  describe("prepareDelivery", () => {
    const file = modelFile(1_000);
    const chunks = toChunks(file);

    it("encrypts the file under the given key: ciphertext, its root, the key hash and the model leaves", () => {
      const d = prepareDelivery(file, KEY);
      assert.equal(d.key, KEY);
      assert.equal(d.keyHash, abiKeyHash(KEY));
      assert.equal(d.ciphertext.length, 32);
      assert.deepEqual(d.ciphertext, xorChunks(chunks, hexToBytes(KEY)));
      assert.equal(d.ciphertextRoot, ChunkTree.fromChunks(d.ciphertext).root);
      assert.deepEqual(d.modelLeaves, chunks.map(chunkLeaf));
      assert.equal(ChunkTree.fromLeaves(d.modelLeaves).root, ChunkTree.fromChunks(chunks).root);
      assert.deepEqual(xorChunks(d.ciphertext, hexToBytes(KEY)), chunks, "the key decrypts it");
      // reproducible with a fixed key
      assert.deepEqual(prepareDelivery(file, KEY), d);
    });

    it("without a key draws a fresh one each time: a key revealed for one delivery opens no other", () => {
      const a = prepareDelivery(file);
      const b = prepareDelivery(file);
      assert.match(a.key, /^0x[0-9a-f]{64}$/);
      assert.notEqual(a.key, b.key);
      assert.notEqual(a.keyHash, b.keyHash);
      assert.notEqual(a.ciphertextRoot, b.ciphertextRoot);
      assert.equal(a.keyHash, abiKeyHash(a.key));
      assert.deepEqual(a.modelLeaves, b.modelLeaves, "the model leaves do not depend on the key");
      // b's buyer holding a's revealed key decrypts nothing of b
      const stolen = xorChunks(b.ciphertext, hexToBytes(a.key));
      stolen.forEach((chunk, i) => assert.notDeepEqual(chunk, chunks[i], `chunk ${i}`));
      const check = checkDelivery({
        ciphertext: b.ciphertext,
        key: a.key,
        modelLeaves: b.modelLeaves,
        ciphertextRoot: b.ciphertextRoot,
        modelRoot: ChunkTree.fromLeaves(b.modelLeaves).root,
        modelSize: file.length,
      });
      assert.ok(!check.ok);
      assert.equal(check.badChunk, 0);
    });

    it("refuses a key that is not 32 bytes of hex", () => {
      for (const key of ["0x", "0x1234", `0x${"zz".repeat(32)}`, `${KEY}00`, KEY.slice(2)] as Hex[]) {
        assert.throws(() => prepareDelivery(file, key), new TypeError("a delivery key is 32 bytes of hex"), key);
      }
    });

    it("a one-byte file is one chunk", () => {
      const d = prepareDelivery(Uint8Array.of(7), KEY);
      assert.equal(d.ciphertext.length, 1);
      assert.equal(d.modelLeaves.length, 1);
      assert.equal(d.ciphertextRoot, bytesToHex(chunkLeaf(d.ciphertext[0]!)));
    });
  });

  describe("checkCiphertext", () => {
    const file = modelFile(1_000, 5);
    const modelLeaves = toChunks(file).map(chunkLeaf);
    const modelRoot = ChunkTree.fromLeaves(modelLeaves).root;
    const d = prepareDelivery(file, KEY);
    const honest = { ciphertext: d.ciphertext, modelLeaves: d.modelLeaves, ciphertextRoot: d.ciphertextRoot, modelRoot, modelSize: 1_000 };

    it("ok for an honest delivery (roots compared case-insensitively)", () => {
      assert.deepEqual(checkCiphertext(honest), { ok: true });
      const upper = (h: Hex) => `0x${h.slice(2).toUpperCase()}` as Hex;
      assert.deepEqual(checkCiphertext({ ...honest, ciphertextRoot: upper(d.ciphertextRoot), modelRoot: upper(modelRoot) }), { ok: true });
    });

    it("fails on the chunk count of the ciphertext", () => {
      assert.deepEqual(checkCiphertext({ ...honest, ciphertext: d.ciphertext.slice(0, 31) }), {
        ok: false,
        reason: "the ciphertext has 31 chunks, the model 32",
      });
      assert.deepEqual(checkCiphertext({ ...honest, ciphertext: [...d.ciphertext, new Uint8Array(32)] }), {
        ok: false,
        reason: "the ciphertext has 33 chunks, the model 32",
      });
      // the chunk count follows the listing's modelSize
      assert.deepEqual(checkCiphertext({ ...honest, modelSize: 992 }), { ok: false, reason: "the ciphertext has 32 chunks, the model 31" });
    });

    it("fails on the number of model leaves", () => {
      assert.deepEqual(checkCiphertext({ ...honest, modelLeaves: modelLeaves.slice(1) }), {
        ok: false,
        reason: "31 model leaves were sent, the model has 32 chunks",
      });
      assert.deepEqual(checkCiphertext({ ...honest, modelLeaves: [] }), { ok: false, reason: "0 model leaves were sent, the model has 32 chunks" });
    });

    it("fails when the ciphertext does not hash to the committed root", () => {
      const tampered = d.ciphertext.map((c) => Uint8Array.from(c));
      tampered[31]![31]! ^= 0x80;
      const reason = "the ciphertext does not hash to the committed ciphertext root";
      assert.deepEqual(checkCiphertext({ ...honest, ciphertext: tampered }), { ok: false, reason });
      // or a root committed for another delivery of the same file
      assert.deepEqual(checkCiphertext({ ...honest, ciphertextRoot: prepareDelivery(file).ciphertextRoot }), { ok: false, reason });
    });

    it("fails when the model leaves do not hash to the listing's model root", () => {
      const reason = "the model leaves do not hash to the listing's model root";
      const forged = modelLeaves.map((l) => Uint8Array.from(l));
      forged[12]![0]! ^= 1;
      assert.deepEqual(checkCiphertext({ ...honest, modelLeaves: forged }), { ok: false, reason });
      // leaves of another file, consistent with its ciphertext
      const other = prepareDelivery(modelFile(1_000, 6), KEY);
      assert.deepEqual(
        checkCiphertext({ ciphertext: other.ciphertext, modelLeaves: other.modelLeaves, ciphertextRoot: other.ciphertextRoot, modelRoot, modelSize: 1_000 }),
        { ok: false, reason },
      );
    });

    it("reports the first failure in order: chunk count, leaf count, ciphertext root, model root", () => {
      const all = { ciphertext: d.ciphertext.slice(1), modelLeaves: modelLeaves.slice(1), ciphertextRoot: modelRoot, modelRoot: d.ciphertextRoot, modelSize: 1_000 };
      const reasons = [
        checkCiphertext(all),
        checkCiphertext({ ...all, ciphertext: d.ciphertext }),
        checkCiphertext({ ...all, ciphertext: d.ciphertext, modelLeaves }),
        checkCiphertext({ ...all, ciphertext: d.ciphertext, modelLeaves, ciphertextRoot: d.ciphertextRoot }),
        checkCiphertext({ ...all, ciphertext: d.ciphertext, modelLeaves, ciphertextRoot: d.ciphertextRoot, modelRoot }),
      ].map((r) => (r.ok ? "ok" : r.reason));
      assert.deepEqual(reasons, [
        "the ciphertext has 31 chunks, the model 32",
        "31 model leaves were sent, the model has 32 chunks",
        "the ciphertext does not hash to the committed ciphertext root",
        "the model leaves do not hash to the listing's model root",
        "ok",
      ]);
    });
  });

  describe("against the market", () => {
    /** `buyer` buys a new default listing; returns the listing and purchase ids. */
    async function purchase(c: Awaited<ReturnType<typeof m.load>>) {
      const listingId = await m.list(c);
      const hash = await c.market.write.buy([listingId, 0n, PRICE], { account: buyer.account, value: PRICE });
      const receipt = await m.publicClient.waitForTransactionReceipt({ hash });
      const [opened] = parseEventLogs({ abi: c.market.abi, logs: receipt.logs, eventName: "PurchaseOpened" });
      if (opened === undefined) throw new Error("no PurchaseOpened");
      return { listingId, purchaseId: opened.args.purchaseId };
    }

    it("prepareDelivery's ciphertextRoot and keyHash are what commitDelivery and revealKey accept; its leaves hash to the listing's root", async () => {
      const c = await m.load();
      const { listingId, purchaseId } = await purchase(c);
      const d = prepareDelivery(m.model); // a fresh key, as a seller would
      const [modelRoot, modelSize] = await c.registry.read.deliveryTerms([listingId]);
      assert.equal(ChunkTree.fromLeaves(d.modelLeaves).root, modelRoot);
      assert.equal(modelSize, BigInt(m.model.length));

      const commit = c.market.write.commitDelivery([purchaseId, d.ciphertextRoot, d.keyHash], { account: seller.account });
      await assertions.emitWithArgs(commit, c.market, "DeliveryCommitted", [purchaseId, d.ciphertextRoot, d.keyHash]);
      const p = await c.market.read.getPurchase([purchaseId]);
      assert.equal(p.deliveryCommitment, keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "bytes32" }], [d.ciphertextRoot, d.keyHash])));

      // the buyer checks what it received against the chain before accepting
      const [committed] = await c.market.getEvents.DeliveryCommitted({ purchaseId }, { fromBlock: 0n });
      const ciphertextRoot = committed!.args.ciphertextRoot!;
      const received = { ciphertext: d.ciphertext, modelLeaves: d.modelLeaves, ciphertextRoot, modelRoot, modelSize: Number(modelSize) };
      assert.deepEqual(checkCiphertext(received), { ok: true });
      await c.market.write.acceptDelivery([purchaseId], { account: buyer.account });

      // another delivery's key does not open the commitment; the prepared key does
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.revealKey([purchaseId, d.ciphertextRoot, newDeliveryKey()], { account: seller.account }),
        c.market,
        "FairExchangeCommitmentMismatch",
        [purchaseId],
      );
      await assertions.emitWithArgs(
        c.market.write.revealKey([purchaseId, d.ciphertextRoot, d.key], { account: seller.account }),
        c.market,
        "KeyRevealed",
        [purchaseId, d.key],
      );
      const [revealed] = await c.market.getEvents.KeyRevealed({ purchaseId }, { fromBlock: 0n });
      const result = checkDelivery({ ...received, key: revealed!.args.key! });
      assert.ok(result.ok);
      assert.deepEqual(result.file, m.model);

      await time.increase(WINDOWS.complaint);
      await assertions.balancesHaveChanged(c.market.write.completePurchase([purchaseId], { account: seller.account }), [
        { address: seller.account.address, amount: PRICE },
      ]);
      assert.equal(await c.market.read.purchaseStatus([purchaseId]), PURCHASE_STATUS.Completed);
    });

    it("the contract's complaint check agrees: prepareDelivery's ciphertext has no provably bad chunk", async () => {
      const c = await m.load();
      const { purchaseId } = await purchase(c);
      const d = prepareDelivery(m.model);
      const cipherTree = ChunkTree.fromChunks(d.ciphertext);
      await c.market.write.commitDelivery([purchaseId, d.ciphertextRoot, d.keyHash], { account: seller.account });
      await c.market.write.acceptDelivery([purchaseId], { account: buyer.account });
      await c.market.write.revealKey([purchaseId, d.ciphertextRoot, d.key], { account: seller.account });
      for (const index of [0, 31]) {
        await assertions.revertWithCustomErrorWithArgs(
          c.market.write.complain(
            [
              purchaseId,
              {
                ciphertextRoot: d.ciphertextRoot,
                key: d.key,
                index: BigInt(index),
                ciphertextChunk: bytesToHex(d.ciphertext[index]!),
                ciphertextProof: cipherTree.proof(index),
                plaintextLeaf: bytesToHex(d.modelLeaves[index]!),
                plaintextProof: m.modelTree.proof(index),
              },
            ],
            { account: buyer.account },
          ),
          c.market,
          "FairExchangeChunkIsCorrect",
          [purchaseId, BigInt(index)],
        );
      }
    });
  });
});
