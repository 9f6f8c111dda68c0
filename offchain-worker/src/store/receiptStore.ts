/**
 * Evaluation receipts in SQLite, one per finished job: the result hash, the worker's EIP-712
 * signed receipt (which the buyer may submit itself), and the on-chain recording's progress:
 * pending (signed, no transaction yet) -> sent (transaction hash known) -> mined | failed.
 * On start the worker resumes every pending or sent receipt.
 */
import type { DatabaseSync } from "node:sqlite";
import type { Hex } from "viem";

export type ReceiptStatus = "pending" | "sent" | "mined" | "failed";

export interface Receipt {
  readonly jobId: string;
  readonly testId: bigint;
  readonly resultHash: Hex;
  readonly signature: Hex;
  readonly status: ReceiptStatus;
  readonly txHash: Hex | null;
  readonly error: string | null;
}

interface ReceiptRow {
  job_id: string;
  test_id: string;
  result_hash: string;
  signature: string;
  status: ReceiptStatus;
  tx_hash: string | null;
  error: string | null;
}

export class ReceiptStore {
  readonly #db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  create(receipt: Pick<Receipt, "jobId" | "testId" | "resultHash" | "signature">, now = Date.now()): Receipt {
    this.#db
      .prepare(
        `INSERT INTO receipts (job_id, test_id, result_hash, signature, status, updated_at) VALUES (?, ?, ?, ?, 'pending', ?)
         ON CONFLICT (job_id) DO NOTHING`,
      )
      .run(receipt.jobId, receipt.testId.toString(), receipt.resultHash, receipt.signature, now);
    return this.get(receipt.jobId)!;
  }

  get(jobId: string): Receipt | undefined {
    const row = this.#db.prepare("SELECT * FROM receipts WHERE job_id = ?").get(jobId);
    return row ? toReceipt(row as unknown as ReceiptRow) : undefined;
  }

  /** Receipts not yet mined nor failed, oldest first. */
  unfinished(): Receipt[] {
    return this.#db
      .prepare("SELECT * FROM receipts WHERE status IN ('pending', 'sent') ORDER BY updated_at, rowid")
      .all()
      .map((row) => toReceipt(row as unknown as ReceiptRow));
  }

  markSent(jobId: string, txHash: Hex, now = Date.now()): void {
    this.#db.prepare("UPDATE receipts SET status = 'sent', tx_hash = ?, updated_at = ? WHERE job_id = ?").run(txHash, now, jobId);
  }

  markMined(jobId: string, txHash: Hex, now = Date.now()): void {
    this.#db
      .prepare("UPDATE receipts SET status = 'mined', tx_hash = ?, error = NULL, updated_at = ? WHERE job_id = ?")
      .run(txHash, now, jobId);
  }

  markFailed(jobId: string, error: string, now = Date.now()): void {
    this.#db.prepare("UPDATE receipts SET status = 'failed', error = ?, updated_at = ? WHERE job_id = ?").run(error, now, jobId);
  }
}

function toReceipt(row: ReceiptRow): Receipt {
  return {
    jobId: row.job_id,
    testId: BigInt(row.test_id),
    resultHash: row.result_hash as Hex,
    signature: row.signature as Hex,
    status: row.status,
    txHash: row.tx_hash as Hex | null,
    error: row.error,
  };
}
