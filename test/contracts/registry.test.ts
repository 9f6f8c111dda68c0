/**
 * ModelRegistry: listing validation, the listing lifecycle (pause / unpause / delist),
 * offer updates, promotion and its fees, and the `*Terms` views the market reads.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, keccak256, parseEther, toHex, zeroAddress, zeroHash } from "viem";
import { CLAIMED_ACCURACY_BPS, connectMarket, LISTING_STATUS, POLICY, PRICE, SALE_MODE, TASK } from "../helpers/market.ts";

/** `ModelRegistry.MAX_SAMPLES`: type(uint16).max, so a test-drive's sample count fits its uint16 field. */
const MAX_SAMPLES = 65_535;
const MAX_WINDOW = 30 * 24 * 3_600;
/** The largest fee a test-drive may carry: `(maxSamples - freeSamples) * feePerExtraSample <= 2**96 - 1`. */
const MAX_FEE = (1n << 96n) - 1n;

describe("ModelRegistry", async () => {
  const m = await connectMarket();
  const { viem, publicClient } = m;
  const { seller, buyer, worker, alice, bob, deployer, mallory } = m.accounts;
  const SELLER = getAddress(seller.account.address);
  const WORKER = getAddress(worker.account.address);
  const ALICE = getAddress(alice.account.address);
  const MALLORY = getAddress(mallory.account.address);
  const UNKNOWN = 999n;

  type Task = { featureCount: number; classCount: number; scaleBits: number; featureBits: number };
  type Policy = {
    deposit: bigint;
    feePerExtraSample: bigint;
    freeSamples: number;
    minSamples: number;
    maxSamples: number;
    serviceWindow: number;
    disputeWindow: number;
  };
  type Contracts = Awaited<ReturnType<typeof m.load>>;
  type Offer = ReturnType<typeof m.offer>;

  /** Default terms with some fields, and parts of the task or of the test policy, replaced. */
  function termsWith(o: { claimedAccuracyBps?: number; task?: Partial<Task>; testPolicy?: Partial<Policy> } = {}) {
    const base = m.terms();
    const task: Task = { ...base.task, ...o.task };
    const testPolicy: Policy = { ...base.testPolicy, ...o.testPolicy };
    return { ...base, claimedAccuracyBps: o.claimedAccuracyBps ?? base.claimedAccuracyBps, task, testPolicy };
  }
  type Terms = ReturnType<typeof termsWith>;

  /** What `disputeTerms` should return for `terms`. */
  function disputeTermsOf(terms: Terms) {
    return {
      deposit: terms.testPolicy.deposit,
      serviceWindow: terms.testPolicy.serviceWindow,
      disputeWindow: terms.testPolicy.disputeWindow,
      claimedAccuracyBps: terms.claimedAccuracyBps,
      featureCount: terms.task.featureCount,
      classCount: terms.task.classCount,
      scaleBits: terms.task.scaleBits,
      featureBits: terms.task.featureBits,
      planFamily: terms.disputePolicy.planFamily,
    };
  }

  /** Lists as the seller (a promise for revert assertions). */
  function listAsSeller(c: Contracts, terms: Terms, offer: Offer = m.offer()) {
    return c.registry.write.list([terms, offer], { account: seller.account });
  }

  describe("list", () => {
    it("creates listing 1 owned by the caller, emits ListingCreated with the full terms and offer", async () => {
      const c = await m.load();
      assert.equal(await c.registry.read.listingCount(), 0n);
      await viem.assertions.emitWithArgs(
        c.registry.write.list([m.terms(), m.offer()], { account: seller.account }),
        c.registry,
        "ListingCreated",
        [1n, SELLER, m.modelTree.root, m.terms(), { ...m.offer(), workerSigner: WORKER }],
      );
      assert.equal(await c.registry.read.listingCount(), 1n);
    });

    it("returns increasing ids (simulated return value matches the id assigned)", async () => {
      const c = await m.load();
      const { result } = await c.registry.simulate.list([m.terms(), m.offer()], { account: SELLER });
      assert.equal(result, 1n);
      await m.list(c);
      const second = await c.registry.simulate.list([m.terms(), m.offer()], { account: ALICE });
      assert.equal(second.result, 2n);
      await c.registry.write.list([m.terms(), m.offer()], { account: alice.account });
      assert.equal(await c.registry.read.listingCount(), 2n);
      assert.equal((await c.registry.read.getListing([2n])).seller, ALICE);
    });

    it("round-trips through getListing (seller, status Active, listedAt = block time, terms, offer)", async () => {
      const c = await m.load();
      const hash = await c.registry.write.list([m.terms(), m.offer()], { account: seller.account });
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      const block = await publicClient.getBlock({ blockNumber: receipt.blockNumber });
      const listing = await c.registry.read.getListing([1n]);
      assert.deepEqual(listing, {
        seller: SELLER,
        status: LISTING_STATUS.Active,
        listedAt: Number(block.timestamp),
        promotionTotal: 0n,
        terms: { ...m.terms(), task: { ...TASK }, testPolicy: { ...POLICY } },
        offer: { ...m.offer(), workerSigner: WORKER },
      });
    });

    it("stores an auction offer with price 0", async () => {
      const c = await m.load();
      const id = await m.list(c, { saleMode: SALE_MODE.Auction, price: 0n });
      const listing = await c.registry.read.getListing([id]);
      assert.equal(listing.offer.saleMode, SALE_MODE.Auction);
      assert.equal(listing.offer.price, 0n);
    });

    it("accepts the inclusive boundaries: claim 10000, featureBits 32 = scaleBits, 2 classes, min = max = MAX_SAMPLES, 30-day windows", async () => {
      const c = await m.load();
      const terms = termsWith({
        claimedAccuracyBps: 10_000,
        task: { featureCount: 1, classCount: 2, featureBits: 32, scaleBits: 32 },
        testPolicy: { minSamples: MAX_SAMPLES, maxSamples: MAX_SAMPLES, serviceWindow: MAX_WINDOW, disputeWindow: MAX_WINDOW, deposit: 1n },
      });
      await c.registry.write.list([terms, m.offer()], { account: seller.account });
      const listing = await c.registry.read.getListing([1n]);
      assert.equal(listing.terms.claimedAccuracyBps, 10_000);
      assert.deepEqual(listing.terms.task, terms.task);
      assert.deepEqual(listing.terms.testPolicy, terms.testPolicy);
      // and the lowest ones: claim 1 bp, min = max = 1, 1-second windows
      const low = termsWith({
        claimedAccuracyBps: 1,
        testPolicy: { minSamples: 1, maxSamples: 1, serviceWindow: 1, disputeWindow: 1 },
      });
      await c.registry.write.list([low, m.offer()], { account: seller.account });
      assert.equal((await c.registry.read.getListing([2n])).terms.claimedAccuracyBps, 1);
    });

    it("reverts ModelRegistryEmptyModel on a zero model root", async () => {
      const c = await m.load();
      await viem.assertions.revertWithCustomError(listAsSeller(c, m.terms({ modelRoot: zeroHash })), c.registry, "ModelRegistryEmptyModel");
    });

    it("reverts ModelRegistryEmptyModel on a zero model size", async () => {
      const c = await m.load();
      await viem.assertions.revertWithCustomError(listAsSeller(c, m.terms({ modelSize: 0n })), c.registry, "ModelRegistryEmptyModel");
    });

    it("reverts ModelRegistryInvalidClaim(0) on a zero claim", async () => {
      const c = await m.load();
      await viem.assertions.revertWithCustomErrorWithArgs(
        listAsSeller(c, m.terms({ claimedAccuracyBps: 0 })),
        c.registry,
        "ModelRegistryInvalidClaim",
        [0],
      );
    });

    it("reverts ModelRegistryInvalidClaim(10001) on a claim above 100%", async () => {
      const c = await m.load();
      await viem.assertions.revertWithCustomErrorWithArgs(
        listAsSeller(c, m.terms({ claimedAccuracyBps: 10_001 })),
        c.registry,
        "ModelRegistryInvalidClaim",
        [10_001],
      );
    });

    const badTasks: Array<[string, Partial<Task>]> = [
      ["featureCount 0", { featureCount: 0 }],
      ["classCount 0", { classCount: 0 }],
      ["classCount 1", { classCount: 1 }],
      ["featureBits 0", { featureBits: 0, scaleBits: 0 }],
      ["featureBits 33", { featureBits: 33 }],
      ["scaleBits > featureBits", { featureBits: 12, scaleBits: 13 }],
    ];
    for (const [name, task] of badTasks) {
      it(`reverts ModelRegistryInvalidTask on ${name}`, async () => {
        const c = await m.load();
        await viem.assertions.revertWithCustomError(listAsSeller(c, termsWith({ task })), c.registry, "ModelRegistryInvalidTask");
      });
    }

    const badBounds: Array<[string, number, number]> = [
      ["minSamples 0", 0, 10],
      ["minSamples > maxSamples", 11, 10],
      ["maxSamples = MAX_SAMPLES + 1 (65536 no longer fits a test-drive's uint16 sample count)", 10, MAX_SAMPLES + 1],
      ["minSamples = maxSamples = MAX_SAMPLES + 1", MAX_SAMPLES + 1, MAX_SAMPLES + 1],
    ];
    for (const [name, minSamples, maxSamples] of badBounds) {
      it(`reverts ModelRegistryInvalidSampleBounds(${minSamples}, ${maxSamples}) on ${name}`, async () => {
        const c = await m.load();
        await viem.assertions.revertWithCustomErrorWithArgs(
          listAsSeller(c, termsWith({ testPolicy: { minSamples, maxSamples } })),
          c.registry,
          "ModelRegistryInvalidSampleBounds",
          [minSamples, maxSamples],
        );
      });
    }

    const badWindows: Array<[string, Partial<Policy>, number]> = [
      ["a zero service window", { serviceWindow: 0 }, 0],
      ["a service window over 30 days", { serviceWindow: MAX_WINDOW + 1 }, MAX_WINDOW + 1],
      ["a zero dispute window", { disputeWindow: 0 }, 0],
      ["a dispute window over 30 days", { disputeWindow: MAX_WINDOW + 1 }, MAX_WINDOW + 1],
    ];
    for (const [name, testPolicy, window] of badWindows) {
      it(`reverts ModelRegistryInvalidWindow(${window}) on ${name}`, async () => {
        const c = await m.load();
        await viem.assertions.revertWithCustomErrorWithArgs(
          listAsSeller(c, termsWith({ testPolicy })),
          c.registry,
          "ModelRegistryInvalidWindow",
          [window],
        );
      });
    }

    it("reverts ModelRegistryZeroDeposit on a zero deposit", async () => {
      const c = await m.load();
      await viem.assertions.revertWithCustomError(
        listAsSeller(c, termsWith({ testPolicy: { deposit: 0n } })),
        c.registry,
        "ModelRegistryZeroDeposit",
      );
    });

    describe("the largest test-drive's fee, (maxSamples - freeSamples) * feePerExtraSample, must fit in 96 bits", () => {
      // 2**16 - 1 divides 2**96 - 1, so this fee makes a MAX_SAMPLES test-drive cost exactly 2**96 - 1 wei in fees
      const limitFee = MAX_FEE / BigInt(MAX_SAMPLES);
      const accepted: Array<[string, Partial<Policy>]> = [
        ["MAX_SAMPLES paid samples at exactly the limit", { freeSamples: 0, minSamples: 1, maxSamples: MAX_SAMPLES, feePerExtraSample: limitFee }],
        ["one paid sample at 2**96 - 1 wei", { freeSamples: 99, minSamples: 1, maxSamples: 100, feePerExtraSample: MAX_FEE }],
        ["no paid samples (freeSamples = maxSamples), any fee", { freeSamples: 100, minSamples: 1, maxSamples: 100, feePerExtraSample: MAX_FEE }],
        ["no paid samples (freeSamples > maxSamples), any fee", { freeSamples: 4_000_000_000, minSamples: 1, maxSamples: 100, feePerExtraSample: MAX_FEE }],
      ];
      for (const [name, testPolicy] of accepted) {
        it(`accepts ${name}`, async () => {
          const c = await m.load();
          const terms = termsWith({ testPolicy });
          await listAsSeller(c, terms);
          assert.equal(await c.registry.read.listingCount(), 1n);
          assert.deepEqual((await c.registry.read.getListing([1n])).terms.testPolicy, terms.testPolicy);
        });
      }

      const rejected: Array<[string, Partial<Policy>]> = [
        ["MAX_SAMPLES paid samples one wei per sample above the limit", { freeSamples: 0, minSamples: 1, maxSamples: MAX_SAMPLES, feePerExtraSample: limitFee + 1n }],
        ["two paid samples at 2**95 wei (exactly 2**96)", { freeSamples: 98, minSamples: 1, maxSamples: 100, feePerExtraSample: 1n << 95n }],
        ["the default listing with a 2**96 - 1 wei fee per extra sample", { feePerExtraSample: MAX_FEE }],
        // the bound is on the largest test-drive, even if the smallest one would fit
        ["a fee that fits for minSamples but not for maxSamples", { freeSamples: 0, minSamples: 1, maxSamples: 2, feePerExtraSample: 1n << 95n }],
      ];
      for (const [name, testPolicy] of rejected) {
        it(`reverts ModelRegistryFeeTooLarge on ${name}, creating nothing`, async () => {
          const c = await m.load();
          await viem.assertions.revertWithCustomError(listAsSeller(c, termsWith({ testPolicy })), c.registry, "ModelRegistryFeeTooLarge");
          assert.equal(await c.registry.read.listingCount(), 0n);
        });
      }
    });

    it("reverts ModelRegistryZeroPrice on a fixed-price offer with price 0", async () => {
      const c = await m.load();
      await viem.assertions.revertWithCustomError(
        listAsSeller(c, m.terms(), m.offer({ saleMode: SALE_MODE.FixedPrice, price: 0n })),
        c.registry,
        "ModelRegistryZeroPrice",
      );
    });

    it("reverts ModelRegistryInvalidWorkerSigner on a zero worker signer", async () => {
      const c = await m.load();
      await viem.assertions.revertWithCustomError(
        listAsSeller(c, m.terms(), m.offer({ workerSigner: zeroAddress })),
        c.registry,
        "ModelRegistryInvalidWorkerSigner",
      );
    });

    it("creates nothing when it reverts", async () => {
      const c = await m.load();
      await viem.assertions.revertWithCustomError(listAsSeller(c, m.terms({ modelSize: 0n })), c.registry, "ModelRegistryEmptyModel");
      assert.equal(await c.registry.read.listingCount(), 0n);
    });
  });

  describe("updateOffer", () => {
    const newOffer = {
      metadataURI: "ipfs://model-card-v2",
      metadataHash: keccak256(toHex("model card v2")),
      saleMode: SALE_MODE.Auction,
      price: 0n,
      workerEndpoint: "https://worker.example",
      workerSigner: ALICE,
    };

    it("replaces the offer, keeps the terms and listedAt, emits ListingUpdated", async () => {
      const c = await m.load();
      const id = await m.list(c);
      const before = await c.registry.read.getListing([id]);
      await viem.assertions.emitWithArgs(
        c.registry.write.updateOffer([id, newOffer], { account: seller.account }),
        c.registry,
        "ListingUpdated",
        [id, newOffer],
      );
      const after = await c.registry.read.getListing([id]);
      assert.deepEqual(after.offer, newOffer);
      assert.deepEqual(after.terms, before.terms);
      assert.equal(after.listedAt, before.listedAt);
      assert.equal(after.status, LISTING_STATUS.Active);
      assert.deepEqual(await c.registry.read.workerOf([id]), [SELLER, ALICE]);
    });

    it("works on a paused listing and leaves it paused", async () => {
      const c = await m.load();
      const id = await m.list(c);
      await c.registry.write.pause([id], { account: seller.account });
      await c.registry.write.updateOffer([id, m.offer({ price: parseEther("7") })], { account: seller.account });
      const listing = await c.registry.read.getListing([id]);
      assert.equal(listing.offer.price, parseEther("7"));
      assert.equal(listing.status, LISTING_STATUS.Paused);
    });

    it("reverts ModelRegistryUnauthorizedSeller for anyone but the seller", async () => {
      const c = await m.load();
      const id = await m.list(c);
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.registry.write.updateOffer([id, m.offer()], { account: mallory.account }),
        c.registry,
        "ModelRegistryUnauthorizedSeller",
        [id, MALLORY],
      );
    });

    it("reverts ModelRegistryInvalidStatus(Delisted) on a delisted listing", async () => {
      const c = await m.load();
      const id = await m.list(c);
      await c.registry.write.delist([id], { account: seller.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.registry.write.updateOffer([id, m.offer()], { account: seller.account }),
        c.registry,
        "ModelRegistryInvalidStatus",
        [id, LISTING_STATUS.Delisted],
      );
    });

    it("validates the new offer: zero worker signer and zero fixed price revert", async () => {
      const c = await m.load();
      const id = await m.list(c);
      await viem.assertions.revertWithCustomError(
        c.registry.write.updateOffer([id, m.offer({ workerSigner: zeroAddress })], { account: seller.account }),
        c.registry,
        "ModelRegistryInvalidWorkerSigner",
      );
      await viem.assertions.revertWithCustomError(
        c.registry.write.updateOffer([id, m.offer({ price: 0n })], { account: seller.account }),
        c.registry,
        "ModelRegistryZeroPrice",
      );
      assert.equal((await c.registry.read.getListing([id])).offer.price, PRICE);
    });

    it("reverts ModelRegistryUnknownListing on an unknown id", async () => {
      const c = await m.load();
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.registry.write.updateOffer([UNKNOWN, m.offer()], { account: seller.account }),
        c.registry,
        "ModelRegistryUnknownListing",
        [UNKNOWN],
      );
    });
  });

  describe("pause / unpause / delist", () => {
    it("pause: Active -> Paused, emits ListingPaused", async () => {
      const c = await m.load();
      const id = await m.list(c);
      await viem.assertions.emitWithArgs(c.registry.write.pause([id], { account: seller.account }), c.registry, "ListingPaused", [id]);
      assert.equal((await c.registry.read.getListing([id])).status, LISTING_STATUS.Paused);
    });

    it("unpause: Paused -> Active, emits ListingUnpaused", async () => {
      const c = await m.load();
      const id = await m.list(c);
      await c.registry.write.pause([id], { account: seller.account });
      await viem.assertions.emitWithArgs(c.registry.write.unpause([id], { account: seller.account }), c.registry, "ListingUnpaused", [id]);
      assert.equal((await c.registry.read.getListing([id])).status, LISTING_STATUS.Active);
    });

    it("delist: Active -> Delisted, emits ListingDelisted", async () => {
      const c = await m.load();
      const id = await m.list(c);
      await viem.assertions.emitWithArgs(c.registry.write.delist([id], { account: seller.account }), c.registry, "ListingDelisted", [id]);
      assert.equal((await c.registry.read.getListing([id])).status, LISTING_STATUS.Delisted);
    });

    it("delist: Paused -> Delisted", async () => {
      const c = await m.load();
      const id = await m.list(c);
      await c.registry.write.pause([id], { account: seller.account });
      await viem.assertions.emitWithArgs(c.registry.write.delist([id], { account: seller.account }), c.registry, "ListingDelisted", [id]);
      assert.equal((await c.registry.read.getListing([id])).status, LISTING_STATUS.Delisted);
    });

    it("pause reverts ModelRegistryInvalidStatus on a paused and on a delisted listing", async () => {
      const c = await m.load();
      const id = await m.list(c);
      await c.registry.write.pause([id], { account: seller.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.registry.write.pause([id], { account: seller.account }),
        c.registry,
        "ModelRegistryInvalidStatus",
        [id, LISTING_STATUS.Paused],
      );
      await c.registry.write.delist([id], { account: seller.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.registry.write.pause([id], { account: seller.account }),
        c.registry,
        "ModelRegistryInvalidStatus",
        [id, LISTING_STATUS.Delisted],
      );
    });

    it("unpause reverts ModelRegistryInvalidStatus on an active and on a delisted listing", async () => {
      const c = await m.load();
      const id = await m.list(c);
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.registry.write.unpause([id], { account: seller.account }),
        c.registry,
        "ModelRegistryInvalidStatus",
        [id, LISTING_STATUS.Active],
      );
      await c.registry.write.delist([id], { account: seller.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.registry.write.unpause([id], { account: seller.account }),
        c.registry,
        "ModelRegistryInvalidStatus",
        [id, LISTING_STATUS.Delisted],
      );
    });

    it("delist reverts ModelRegistryInvalidStatus(Delisted) when already delisted (delisting is final)", async () => {
      const c = await m.load();
      const id = await m.list(c);
      await c.registry.write.delist([id], { account: seller.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.registry.write.delist([id], { account: seller.account }),
        c.registry,
        "ModelRegistryInvalidStatus",
        [id, LISTING_STATUS.Delisted],
      );
    });

    for (const fn of ["pause", "unpause", "delist"] as const) {
      it(`${fn} reverts ModelRegistryUnauthorizedSeller for a non-seller and ModelRegistryUnknownListing for an unknown id`, async () => {
        const c = await m.load();
        const id = await m.list(c);
        if (fn === "unpause") await c.registry.write.pause([id], { account: seller.account });
        const statusBefore = (await c.registry.read.getListing([id])).status;
        await viem.assertions.revertWithCustomErrorWithArgs(
          c.registry.write[fn]([id], { account: mallory.account }),
          c.registry,
          "ModelRegistryUnauthorizedSeller",
          [id, MALLORY],
        );
        await viem.assertions.revertWithCustomErrorWithArgs(
          c.registry.write[fn]([UNKNOWN], { account: seller.account }),
          c.registry,
          "ModelRegistryUnknownListing",
          [UNKNOWN],
        );
        assert.equal((await c.registry.read.getListing([id])).status, statusBefore);
      });
    }
  });

  describe("promote", () => {
    it("accumulates per listing and in the registry's fees, emits ListingPromoted(id, payer, amount, total)", async () => {
      const c = await m.load();
      const id = await m.list(c);
      const other = await m.list(c);
      await viem.assertions.emitWithArgs(
        c.registry.write.promote([id], { account: alice.account, value: 100n }),
        c.registry,
        "ListingPromoted",
        [id, ALICE, 100n, 100n],
      );
      await viem.assertions.emitWithArgs(
        c.registry.write.promote([id], { account: mallory.account, value: 250n }),
        c.registry,
        "ListingPromoted",
        [id, MALLORY, 250n, 350n],
      );
      await viem.assertions.emitWithArgs(
        c.registry.write.promote([other], { account: alice.account, value: 7n }),
        c.registry,
        "ListingPromoted",
        [other, ALICE, 7n, 7n],
      );
      assert.equal((await c.registry.read.getListing([id])).promotionTotal, 350n);
      assert.equal((await c.registry.read.getListing([other])).promotionTotal, 7n);
      assert.equal(await c.registry.read.promotionFees(), 357n);
      assert.equal(await publicClient.getBalance({ address: c.registry.address }), 357n);
    });

    it("moves the payment from the payer to the registry", async () => {
      const c = await m.load();
      const id = await m.list(c);
      await viem.assertions.balancesHaveChanged(c.registry.write.promote([id], { account: alice.account, value: parseEther("0.5") }), [
        { address: ALICE, amount: -parseEther("0.5") },
        { address: c.registry.address, amount: parseEther("0.5") },
      ]);
    });

    it("reverts ModelRegistryZeroPromotion with no value", async () => {
      const c = await m.load();
      const id = await m.list(c);
      await viem.assertions.revertWithCustomError(
        c.registry.write.promote([id], { account: alice.account, value: 0n }),
        c.registry,
        "ModelRegistryZeroPromotion",
      );
    });

    it("reverts ModelRegistryInvalidStatus on a paused or delisted listing", async () => {
      const c = await m.load();
      const id = await m.list(c);
      await c.registry.write.pause([id], { account: seller.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.registry.write.promote([id], { account: alice.account, value: 1n }),
        c.registry,
        "ModelRegistryInvalidStatus",
        [id, LISTING_STATUS.Paused],
      );
      await c.registry.write.delist([id], { account: seller.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.registry.write.promote([id], { account: alice.account, value: 1n }),
        c.registry,
        "ModelRegistryInvalidStatus",
        [id, LISTING_STATUS.Delisted],
      );
      assert.equal(await c.registry.read.promotionFees(), 0n);
    });

    it("reverts ModelRegistryUnknownListing on an unknown id", async () => {
      const c = await m.load();
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.registry.write.promote([UNKNOWN], { account: alice.account, value: 1n }),
        c.registry,
        "ModelRegistryUnknownListing",
        [UNKNOWN],
      );
    });
  });

  describe("withdrawPromotionFees", () => {
    it("sends all fees to the recipient, zeroes them, emits PromotionFeesWithdrawn", async () => {
      const c = await m.load();
      const id = await m.list(c);
      await c.registry.write.promote([id], { account: alice.account, value: parseEther("1") });
      await c.registry.write.promote([id], { account: bob.account, value: parseEther("2") });
      const to = getAddress(buyer.account.address);
      await viem.assertions.balancesHaveChanged(c.registry.write.withdrawPromotionFees([to], { account: deployer.account }), [
        { address: to, amount: parseEther("3") },
        { address: c.registry.address, amount: -parseEther("3") },
      ]);
      assert.equal(await c.registry.read.promotionFees(), 0n);
      // the listing keeps its ranking total
      assert.equal((await c.registry.read.getListing([id])).promotionTotal, parseEther("3"));
      // nothing left: a second withdrawal fails
      await viem.assertions.revertWithCustomError(
        c.registry.write.withdrawPromotionFees([to], { account: deployer.account }),
        c.registry,
        "ModelRegistryNothingToWithdraw",
      );
    });

    it("emits PromotionFeesWithdrawn(to, amount)", async () => {
      const c = await m.load();
      const id = await m.list(c);
      await c.registry.write.promote([id], { account: alice.account, value: 42n });
      await viem.assertions.emitWithArgs(
        c.registry.write.withdrawPromotionFees([ALICE], { account: deployer.account }),
        c.registry,
        "PromotionFeesWithdrawn",
        [ALICE, 42n],
      );
    });

    it("reverts OwnableUnauthorizedAccount for anyone but the owner (even the seller)", async () => {
      const c = await m.load();
      const id = await m.list(c);
      await c.registry.write.promote([id], { account: alice.account, value: 42n });
      for (const account of [mallory, seller]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          c.registry.write.withdrawPromotionFees([account.account.address], { account: account.account }),
          c.registry,
          "OwnableUnauthorizedAccount",
          [getAddress(account.account.address)],
        );
      }
      assert.equal(await c.registry.read.promotionFees(), 42n);
    });

    it("reverts ModelRegistryNothingToWithdraw when no fees were paid", async () => {
      const c = await m.load();
      await viem.assertions.revertWithCustomError(
        c.registry.write.withdrawPromotionFees([deployer.account.address], { account: deployer.account }),
        c.registry,
        "ModelRegistryNothingToWithdraw",
      );
    });

    it("reverts ModelRegistryNothingToWithdraw to the zero address and keeps the fees", async () => {
      const c = await m.load();
      const id = await m.list(c);
      await c.registry.write.promote([id], { account: alice.account, value: 42n });
      await viem.assertions.revertWithCustomError(
        c.registry.write.withdrawPromotionFees([zeroAddress], { account: deployer.account }),
        c.registry,
        "ModelRegistryNothingToWithdraw",
      );
      assert.equal(await c.registry.read.promotionFees(), 42n);
    });

    it("reverts FailedCall (and keeps the fees) when the recipient rejects ether", async () => {
      const c = await m.load();
      const id = await m.list(c);
      await c.registry.write.promote([id], { account: alice.account, value: 42n });
      // AnySignalsVerifier has neither receive nor a payable fallback
      await viem.assertions.revertWithCustomError(
        c.registry.write.withdrawPromotionFees([c.anyVerifier.address], { account: deployer.account }),
        c.registry,
        "FailedCall",
      );
      assert.equal(await c.registry.read.promotionFees(), 42n);
    });

    it("follows a two-step ownership transfer", async () => {
      const c = await m.load();
      const id = await m.list(c);
      await c.registry.write.promote([id], { account: alice.account, value: 42n });
      await c.registry.write.transferOwnership([ALICE], { account: deployer.account });
      // not yet accepted: alice is not the owner
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.registry.write.withdrawPromotionFees([ALICE], { account: alice.account }),
        c.registry,
        "OwnableUnauthorizedAccount",
        [ALICE],
      );
      await c.registry.write.acceptOwnership({ account: alice.account });
      assert.equal(await c.registry.read.owner(), ALICE);
      await viem.assertions.balancesHaveChanged(c.registry.write.withdrawPromotionFees([ALICE], { account: alice.account }), [
        { address: ALICE, amount: 42n },
      ]);
    });
  });

  describe("renounceOwnership", () => {
    it("reverts ModelRegistryCannotRenounceOwnership for the owner (fees would be locked) and keeps the owner", async () => {
      const c = await m.load();
      await viem.assertions.revertWithCustomError(
        c.registry.read.renounceOwnership({ account: getAddress(deployer.account.address) }),
        c.registry,
        "ModelRegistryCannotRenounceOwnership",
      );
      assert.equal(await c.registry.read.owner(), getAddress(deployer.account.address));
    });

    it("reverts OwnableUnauthorizedAccount for anyone else", async () => {
      const c = await m.load();
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.registry.read.renounceOwnership({ account: MALLORY }),
        c.registry,
        "OwnableUnauthorizedAccount",
        [MALLORY],
      );
    });
  });

  describe("views", () => {
    it("getListing reverts ModelRegistryUnknownListing for id 0 and for an id past listingCount", async () => {
      const c = await m.load();
      await m.list(c);
      for (const id of [0n, 2n]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          c.registry.read.getListing([id]),
          c.registry,
          "ModelRegistryUnknownListing",
          [id],
        );
      }
    });

    it("testTerms returns seller, status and test policy, following status changes", async () => {
      const c = await m.load();
      const id = await m.list(c);
      assert.deepEqual(await c.registry.read.testTerms([id]), [SELLER, LISTING_STATUS.Active, { ...POLICY }]);
      await c.registry.write.pause([id], { account: seller.account });
      assert.deepEqual(await c.registry.read.testTerms([id]), [SELLER, LISTING_STATUS.Paused, { ...POLICY }]);
    });

    it("saleTerms returns seller, status, sale mode and price, following offer updates", async () => {
      const c = await m.load();
      const id = await m.list(c);
      assert.deepEqual(await c.registry.read.saleTerms([id]), [SELLER, LISTING_STATUS.Active, SALE_MODE.FixedPrice, PRICE]);
      await c.registry.write.updateOffer([id, m.offer({ saleMode: SALE_MODE.Auction, price: 0n })], { account: seller.account });
      await c.registry.write.delist([id], { account: seller.account });
      assert.deepEqual(await c.registry.read.saleTerms([id]), [SELLER, LISTING_STATUS.Delisted, SALE_MODE.Auction, 0n]);
    });

    it("testTerms and saleTerms do not revert on an unknown id: they return status None and zeros", async () => {
      const c = await m.load();
      const zeroPolicy = {
        deposit: 0n,
        feePerExtraSample: 0n,
        freeSamples: 0,
        minSamples: 0,
        maxSamples: 0,
        serviceWindow: 0,
        disputeWindow: 0,
      };
      assert.deepEqual(await c.registry.read.testTerms([UNKNOWN]), [zeroAddress, LISTING_STATUS.None, zeroPolicy]);
      assert.deepEqual(await c.registry.read.saleTerms([UNKNOWN]), [zeroAddress, LISTING_STATUS.None, SALE_MODE.FixedPrice, 0n]);
    });

    it("disputeTerms returns one struct: deposit, windows, claimed accuracy, task and plan family", async () => {
      const c = await m.load();
      const id = await m.list(c);
      assert.deepEqual(await c.registry.read.disputeTerms([id]), {
        deposit: POLICY.deposit,
        serviceWindow: POLICY.serviceWindow,
        disputeWindow: POLICY.disputeWindow,
        claimedAccuracyBps: CLAIMED_ACCURACY_BPS,
        featureCount: TASK.featureCount,
        classCount: TASK.classCount,
        scaleBits: TASK.scaleBits,
        featureBits: TASK.featureBits,
        planFamily: 0,
      });
    });

    it("disputeTerms does not change with the offer or the status (terms are immutable)", async () => {
      const c = await m.load();
      const id = await m.list(c);
      const before = await c.registry.read.disputeTerms([id]);
      await c.registry.write.updateOffer([id, m.offer({ workerSigner: ALICE, price: 1n })], { account: seller.account });
      await c.registry.write.pause([id], { account: seller.account });
      assert.deepEqual(await c.registry.read.disputeTerms([id]), before);
      await c.registry.write.delist([id], { account: seller.account });
      assert.deepEqual(await c.registry.read.disputeTerms([id]), before);
    });

    it("the packed storage keeps every field apart: extreme, pairwise distinct terms round-trip through every view", async () => {
      const c = await m.load();
      await m.list(c); // listing 1, so that listing 2's neighbours are non-zero
      const terms = {
        ...termsWith({
          claimedAccuracyBps: 10_000,
          task: { featureCount: 2 ** 32 - 1, classCount: 65_535, scaleBits: 31, featureBits: 32 },
          testPolicy: {
            deposit: MAX_FEE,
            feePerExtraSample: MAX_FEE - 1n,
            freeSamples: 2 ** 32 - 1, // above maxSamples: no test-drive pays a fee, so any fee per sample fits
            minSamples: 7,
            maxSamples: MAX_SAMPLES,
            serviceWindow: MAX_WINDOW,
            disputeWindow: MAX_WINDOW - 1,
          },
        }),
        modelSize: 2n ** 64n - 1n,
      };
      const offer = m.offer({ saleMode: SALE_MODE.FixedPrice, price: MAX_FEE - 2n, workerSigner: ALICE });
      await c.registry.write.list([terms, offer], { account: alice.account });
      await m.list(c); // listing 3
      const listing = await c.registry.read.getListing([2n]);
      assert.equal(listing.seller, ALICE);
      assert.equal(listing.status, LISTING_STATUS.Active);
      assert.deepEqual(listing.terms, terms);
      assert.deepEqual(listing.offer, offer);
      assert.deepEqual(await c.registry.read.testTerms([2n]), [ALICE, LISTING_STATUS.Active, terms.testPolicy]);
      assert.deepEqual(await c.registry.read.disputeTerms([2n]), disputeTermsOf(terms));
      assert.deepEqual(await c.registry.read.saleTerms([2n]), [ALICE, LISTING_STATUS.Active, SALE_MODE.FixedPrice, MAX_FEE - 2n]);
      assert.deepEqual(await c.registry.read.deliveryTerms([2n]), [terms.modelRoot, terms.modelSize]);
      assert.deepEqual(await c.registry.read.workerOf([2n]), [ALICE, ALICE]);
      // the neighbours are untouched
      for (const id of [1n, 3n]) {
        assert.deepEqual(await c.registry.read.disputeTerms([id]), disputeTermsOf(termsWith()));
        assert.deepEqual(await c.registry.read.testTerms([id]), [SELLER, LISTING_STATUS.Active, { ...POLICY }]);
      }
    });

    it("deliveryTerms returns the model root and size", async () => {
      const c = await m.load();
      const id = await m.list(c);
      assert.deepEqual(await c.registry.read.deliveryTerms([id]), [m.modelTree.root, BigInt(m.model.length)]);
    });

    it("workerOf returns the seller and worker signer, and still answers after delisting", async () => {
      const c = await m.load();
      const id = await m.list(c);
      assert.deepEqual(await c.registry.read.workerOf([id]), [SELLER, WORKER]);
      await c.registry.write.delist([id], { account: seller.account });
      assert.deepEqual(await c.registry.read.workerOf([id]), [SELLER, WORKER]);
    });

    for (const fn of ["disputeTerms", "deliveryTerms", "workerOf"] as const) {
      it(`${fn} reverts ModelRegistryUnknownListing on an unknown id`, async () => {
        const c = await m.load();
        await viem.assertions.revertWithCustomErrorWithArgs(c.registry.read[fn]([UNKNOWN]), c.registry, "ModelRegistryUnknownListing", [
          UNKNOWN,
        ]);
      });
    }

    it("exposes MAX_SAMPLES = 65535 (type(uint16).max) and MAX_WINDOW = 30 days", async () => {
      const c = await m.load();
      assert.equal(await c.registry.read.MAX_SAMPLES(), MAX_SAMPLES);
      assert.equal(await c.registry.read.MAX_WINDOW(), MAX_WINDOW);
    });
  });
});
