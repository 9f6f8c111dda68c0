/**
 * The CopyReceipts in SQLite, one per finished job that was evaluated with a buyer's own
 * fingerprinted copy (copies/servedCopies.ts): the copy's root and size and the worker's
 * EIP-712 signature, written by the job runner in the transaction that marks the job done and
 * stores its evaluation receipt, and served with the result (GET /tests/:id/result, /tests/:id).
 */
import type { DatabaseSync } from "node:sqlite";
import type { Hex } from "viem";

export interface StoredCopyReceipt {
  readonly jobId: string;
  readonly copyRoot: Hex;
  readonly copySize: bigint;
  readonly signature: Hex;
}

interface CopyReceiptRow {
  job_id: string;
  copy_root: string;
  copy_size: string;
  signature: string;
}

export class CopyReceiptStore {
  readonly #db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  create(receipt: StoredCopyReceipt): void {
    this.#db
      .prepare("INSERT INTO copy_receipts (job_id, copy_root, copy_size, signature) VALUES (?, ?, ?, ?) ON CONFLICT (job_id) DO NOTHING")
      .run(receipt.jobId, receipt.copyRoot, receipt.copySize.toString(), receipt.signature);
  }

  get(jobId: string): StoredCopyReceipt | undefined {
    const row = this.#db.prepare("SELECT * FROM copy_receipts WHERE job_id = ?").get(jobId) as unknown as CopyReceiptRow | undefined;
    return row ? { jobId: row.job_id, copyRoot: row.copy_root as Hex, copySize: BigInt(row.copy_size), signature: row.signature as Hex } : undefined;
  }
}
