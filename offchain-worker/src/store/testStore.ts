/**
 * The chain watcher's cache: test-drives opened on the listings this worker serves, and the
 * next block to scan. It makes GET /listings and GET /tests/:id cheap; it never authorizes
 * anything (uploads re-read the chain).
 */
import type { DatabaseSync } from "node:sqlite";
import type { Address, Hex } from "viem";

export interface KnownTest {
  readonly testId: bigint;
  readonly listingId: bigint;
  readonly buyer: Address;
  readonly sampleCount: number;
  readonly dataCommitment: Hex;
  readonly openedBlock: bigint;
  /** The result hash of the receipt recorded on-chain, once seen. */
  readonly receiptHash: Hex | null;
}

interface TestRow {
  test_id: string;
  listing_id: string;
  buyer: string;
  sample_count: number;
  data_commitment: string;
  opened_block: string;
  receipt_hash: string | null;
}

export class TestStore {
  readonly #db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  upsert(test: Omit<KnownTest, "receiptHash">): void {
    this.#db
      .prepare(
        `INSERT INTO tests (test_id, listing_id, buyer, sample_count, data_commitment, opened_block) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (test_id) DO NOTHING`,
      )
      .run(test.testId.toString(), test.listingId.toString(), test.buyer, test.sampleCount, test.dataCommitment, test.openedBlock.toString());
  }

  setReceiptHash(testId: bigint, resultHash: Hex): void {
    this.#db.prepare("UPDATE tests SET receipt_hash = ? WHERE test_id = ?").run(resultHash, testId.toString());
  }

  get(testId: bigint): KnownTest | undefined {
    const row = this.#db.prepare("SELECT * FROM tests WHERE test_id = ?").get(testId.toString());
    return row ? toKnownTest(row as unknown as TestRow) : undefined;
  }

  countByListing(): Map<string, number> {
    const rows = this.#db.prepare("SELECT listing_id, COUNT(*) AS n FROM tests GROUP BY listing_id").all();
    return new Map((rows as unknown as { listing_id: string; n: number }[]).map((r) => [r.listing_id, r.n]));
  }

  nextBlock(fallback: bigint): bigint {
    const row = this.#db.prepare("SELECT next_block FROM watcher_cursor WHERE id = 1").get() as { next_block: string } | undefined;
    return row ? BigInt(row.next_block) : fallback;
  }

  setNextBlock(block: bigint): void {
    this.#db
      .prepare("INSERT INTO watcher_cursor (id, next_block) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET next_block = excluded.next_block")
      .run(block.toString());
  }
}

function toKnownTest(row: TestRow): KnownTest {
  return {
    testId: BigInt(row.test_id),
    listingId: BigInt(row.listing_id),
    buyer: row.buyer as Address,
    sampleCount: row.sample_count,
    dataCommitment: row.data_commitment as Hex,
    openedBlock: BigInt(row.opened_block),
    receiptHash: row.receipt_hash as Hex | null,
  };
}
