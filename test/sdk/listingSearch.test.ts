/**
 * Finding a model (sdk/src/listings/listingSearch.ts): each filter keeps exactly the listings it
 * names, filters combine, promoted listings come first, and a property-based check (fast-check)
 * that the result is always a subset of active listings passing every filter, in the one order.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseEther } from "viem";
import { listingTasks, searchListings, taskKey, type ListingFilter, type SearchableListing } from "@modelbazaar/sdk/listings";

interface Row extends SearchableListing {
  readonly name: string;
}

const row = (id: number, name: string, over: { status?: number; promotion?: bigint; claim?: number; features?: number; classes?: number; auction?: boolean; price?: string } = {}): Row => ({
  id: BigInt(id),
  name,
  status: over.status ?? 1,
  promotionTotal: over.promotion ?? 0n,
  terms: { claimedAccuracyBps: over.claim ?? 9_000, task: { featureCount: over.features ?? 4, classCount: over.classes ?? 3 } },
  offer: { saleMode: over.auction ? 1 : 0, price: over.auction ? 0n : parseEther(over.price ?? "1") },
});

const LISTINGS: Row[] = [
  row(1, "iris-logreg", { claim: 9_666, price: "5" }),
  row(2, "mnist-logreg", { features: 784, classes: 10, claim: 9_100, price: "2" }),
  row(3, "mnist-cryptonets", { features: 784, classes: 10, claim: 9_800, auction: true }),
  row(4, "iris-square-mlp", { claim: 9_333, price: "1", promotion: parseEther("0.1") }),
  row(5, "iris-paused", { status: 2 }),
  row(6, "iris-delisted", { status: 3 }),
];
const ids = (rows: readonly Row[]) => rows.map((r) => Number(r.id));
const search = (filter: ListingFilter) => ids(searchListings(LISTINGS, filter, (r) => r.name));

describe("listing search", () => {
  it("shows the active listings, promoted first, then the newest", () => {
    assert.deepEqual(search({}), [4, 3, 2, 1]);
    assert.deepEqual(search({ includeInactive: true }), [4, 6, 5, 3, 2, 1]);
  });

  it("keeps the listings whose name holds every word, in any case", () => {
    assert.deepEqual(search({ text: "MNIST" }), [3, 2]);
    assert.deepEqual(search({ text: "iris mlp" }), [4]);
    assert.deepEqual(search({ text: "resnet" }), []);
  });

  it("filters by task, highest price, lowest claim and sale mode, and combines them", () => {
    assert.deepEqual(search({ task: "784x10" }), [3, 2]);
    assert.deepEqual(search({ maxPriceWei: parseEther("2") }), [4, 3, 2], "an auction has no price and passes");
    assert.deepEqual(search({ minClaimBps: 9_500 }), [3, 1]);
    assert.deepEqual(search({ minClaimBps: 9_666 }), [3, 1], "a claim equal to the lowest passes");
    assert.deepEqual(search({ saleMode: "auction" }), [3]);
    assert.deepEqual(search({ saleMode: "fixed", task: "4x3", maxPriceWei: parseEther("4") }), [4]);
  });

  it("offers each task once as a choice, fewest features first", () => {
    assert.deepEqual(listingTasks(LISTINGS), [
      { key: "4x3", label: "4 features → 3 classes" },
      { key: "784x10", label: "784 features → 10 classes" },
    ]);
  });

  it("returns only active listings that pass every filter, promoted first, whatever the filter (property)", () => {
    const arbRow = fc.record({
      id: fc.integer({ min: 1, max: 1_000 }),
      status: fc.integer({ min: 1, max: 3 }),
      promotion: fc.bigInt({ min: 0n, max: 10n }),
      claim: fc.constantFrom(0, 5_000, 9_000, 9_666, 10_000),
      features: fc.constantFrom(4, 784),
      auction: fc.boolean(),
      price: fc.bigInt({ min: 0n, max: 10n }),
    });
    const arbFilter = fc.record(
      {
        task: fc.constantFrom("4x3", "784x3"),
        maxPriceWei: fc.bigInt({ min: 0n, max: 10n }),
        minClaimBps: fc.constantFrom(0, 5_000, 9_000, 9_666, 10_000),
        saleMode: fc.constantFrom("any", "fixed", "auction"),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.uniqueArray(arbRow, { selector: (r) => r.id, maxLength: 30 }), arbFilter, (raw, filter) => {
        const rows: Row[] = raw.map((r) => ({ ...row(r.id, `m${r.id}`, { status: r.status, promotion: r.promotion, claim: r.claim, features: r.features, auction: r.auction }), offer: { saleMode: r.auction ? 1 : 0, price: r.price } }));
        const found = searchListings(rows, filter as ListingFilter, (r) => r.name);
        for (const r of found) {
          assert.equal(r.status, 1);
          if (filter.task) assert.equal(taskKey(r.terms.task), filter.task);
          if (filter.minClaimBps !== undefined) assert.ok(r.terms.claimedAccuracyBps >= filter.minClaimBps);
          if (filter.maxPriceWei !== undefined && r.offer.saleMode === 0) assert.ok(r.offer.price <= filter.maxPriceWei);
          if (filter.saleMode === "fixed") assert.equal(r.offer.saleMode, 0);
          if (filter.saleMode === "auction") assert.equal(r.offer.saleMode, 1);
        }
        for (let i = 1; i < found.length; i++) {
          const [a, b] = [found[i - 1]!, found[i]!];
          assert.ok(a.promotionTotal > b.promotionTotal || (a.promotionTotal === b.promotionTotal && a.id > b.id), "promoted first, then newest");
        }
        const passing = rows.filter((r) => r.status === 1 && !found.includes(r));
        for (const r of passing) {
          const kept =
            (!filter.task || taskKey(r.terms.task) === filter.task) &&
            (filter.minClaimBps === undefined || r.terms.claimedAccuracyBps >= filter.minClaimBps) &&
            (filter.maxPriceWei === undefined || r.offer.saleMode !== 0 || r.offer.price <= filter.maxPriceWei) &&
            (filter.saleMode !== "fixed" || r.offer.saleMode === 0) &&
            (filter.saleMode !== "auction" || r.offer.saleMode === 1);
          assert.ok(!kept, `listing ${r.id} passes every filter but was left out`);
        }
      }),
      { numRuns: 300 },
    );
  });
});
