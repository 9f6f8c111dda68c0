/**
 * Refund disputes on the served tests, in SQLite: the chain watcher records each claim it sees
 * (`RefundClaimed`: the refund at stake and the free samples' fee the claim staked), and the
 * dispute agent records what it decided (contest or pass, and why), the transactions it sent,
 * whether the buyer's opening showed nothing provable, and the end it saw. The dispute's phase is
 * never stored: it is read from the chain at every step, so a restart resumes from the chain.
 */
import type { DatabaseSync } from "node:sqlite";
import type { Hex } from "viem";

export type DisputeDecision = "contest" | "pass";

export interface WatchedDispute {
  readonly testId: bigint;
  readonly listingId: bigint;
  /** R, the refund the claim asks for (wei). */
  readonly refund: bigint;
  /** F_free, the free samples' fee the claim staked (wei). */
  readonly freeSamplesFee: bigint;
  readonly decision: DisputeDecision | null;
  readonly reason: string | null;
  readonly contestTx: Hex | null;
  readonly proofTx: Hex | null;
  /** The buyer's opening was searched and no sample gives a provable contest. */
  readonly honestOpening: boolean;
  /** The phase the dispute ended in (BuyerWon, SellerWon), once seen. */
  readonly outcome: string | null;
  readonly error: string | null;
}

interface DisputeRow {
  test_id: string;
  listing_id: string;
  refund: string;
  free_samples_fee: string;
  decision: DisputeDecision | null;
  reason: string | null;
  contest_tx: string | null;
  proof_tx: string | null;
  honest_opening: number;
  outcome: string | null;
  error: string | null;
}

export class DisputeStore {
  readonly #db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /** Records a claim (once: a test takes one claim). */
  recordClaim(claim: Pick<WatchedDispute, "testId" | "listingId" | "refund" | "freeSamplesFee">, now = Date.now()): void {
    this.#db
      .prepare(
        `INSERT INTO disputes (test_id, listing_id, refund, free_samples_fee, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (test_id) DO NOTHING`,
      )
      .run(claim.testId.toString(), claim.listingId.toString(), claim.refund.toString(), claim.freeSamplesFee.toString(), now);
  }

  get(testId: bigint): WatchedDispute | undefined {
    const row = this.#db.prepare("SELECT * FROM disputes WHERE test_id = ?").get(testId.toString());
    return row ? toDispute(row as unknown as DisputeRow) : undefined;
  }

  /** Disputes the worker may still have to act on (not passed, not ended, not found honest), oldest first. */
  unfinished(): WatchedDispute[] {
    return this.#db
      .prepare("SELECT * FROM disputes WHERE outcome IS NULL AND honest_opening = 0 AND (decision IS NULL OR decision = 'contest') ORDER BY rowid")
      .all()
      .map((row) => toDispute(row as unknown as DisputeRow));
  }

  decide(testId: bigint, decision: DisputeDecision, reason: string, now = Date.now()): void {
    this.#db.prepare("UPDATE disputes SET decision = ?, reason = ?, updated_at = ? WHERE test_id = ?").run(decision, reason, now, testId.toString());
  }

  /** Stores a sent transaction's hash before waiting for it, so a restart looks it up instead of sending again. */
  markSent(testId: bigint, step: "contest" | "proof", txHash: Hex, now = Date.now()): void {
    const column = step === "contest" ? "contest_tx" : "proof_tx";
    this.#db.prepare(`UPDATE disputes SET ${column} = ?, error = NULL, updated_at = ? WHERE test_id = ?`).run(txHash, now, testId.toString());
  }

  markHonestOpening(testId: bigint, now = Date.now()): void {
    this.#db.prepare("UPDATE disputes SET honest_opening = 1, updated_at = ? WHERE test_id = ?").run(now, testId.toString());
  }

  markEnded(testId: bigint, outcome: string, now = Date.now()): void {
    this.#db.prepare("UPDATE disputes SET outcome = ?, updated_at = ? WHERE test_id = ?").run(outcome, now, testId.toString());
  }

  /** The last failure of a step (kept for status pages and logs; the step is retried). */
  markError(testId: bigint, error: string, now = Date.now()): void {
    this.#db.prepare("UPDATE disputes SET error = ?, updated_at = ? WHERE test_id = ?").run(error, now, testId.toString());
  }
}

function toDispute(row: DisputeRow): WatchedDispute {
  return {
    testId: BigInt(row.test_id),
    listingId: BigInt(row.listing_id),
    refund: BigInt(row.refund),
    freeSamplesFee: BigInt(row.free_samples_fee),
    decision: row.decision,
    reason: row.reason,
    contestTx: row.contest_tx as Hex | null,
    proofTx: row.proof_tx as Hex | null,
    honestOpening: row.honest_opening === 1,
    outcome: row.outcome,
    error: row.error,
  };
}
