/**
 * Deliveries this worker holds for its seller's purchases: the encrypted model file the buyer
 * fetches (a path under blobs/deliveries/), the one-time key, and where its on-chain reveal
 * stands: `held` until the purchase awaits the key, `revealing` once `revealKey` is sent (with
 * its transaction), `revealed` once the key is on-chain (from here or from the seller itself),
 * `closed` once the purchase has ended (completed or refunded: the file is deleted then).
 * Survives restarts, so a reveal sent before a crash is checked, not sent twice.
 */
import type { DatabaseSync } from "node:sqlite";
import type { Address, Hex } from "viem";

export type DeliveryStatus = "held" | "revealing" | "revealed" | "closed";

export interface HeldDelivery {
  readonly purchaseId: bigint;
  readonly buyer: Address;
  readonly path: string;
  readonly ciphertextRoot: Hex;
  readonly key: Hex;
  readonly status: DeliveryStatus;
  readonly revealTx: Hex | null;
  readonly error: string | null;
}

interface DeliveryRow {
  purchase_id: string;
  buyer: string;
  path: string;
  ciphertext_root: string;
  key: string;
  status: DeliveryStatus;
  reveal_tx: string | null;
  error: string | null;
}

export class DeliveryStore {
  readonly #db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /** Stores (or replaces, while not yet revealing) the delivery of a purchase; false when its reveal is already under way. */
  hold(delivery: Pick<HeldDelivery, "purchaseId" | "buyer" | "path" | "ciphertextRoot" | "key">, now = Date.now()): boolean {
    const result = this.#db
      .prepare(
        `INSERT INTO deliveries (purchase_id, buyer, path, ciphertext_root, key, status, updated_at) VALUES (?, ?, ?, ?, ?, 'held', ?)
         ON CONFLICT (purchase_id) DO UPDATE SET path = excluded.path, ciphertext_root = excluded.ciphertext_root, key = excluded.key,
           buyer = excluded.buyer, error = NULL, updated_at = excluded.updated_at
         WHERE deliveries.status = 'held'`,
      )
      .run(delivery.purchaseId.toString(), delivery.buyer, delivery.path, delivery.ciphertextRoot, delivery.key, now);
    return Number(result.changes) === 1;
  }

  get(purchaseId: bigint): HeldDelivery | undefined {
    const row = this.#db.prepare("SELECT * FROM deliveries WHERE purchase_id = ?").get(purchaseId.toString()) as DeliveryRow | undefined;
    return row && toDelivery(row);
  }

  /** Deliveries whose purchase has not ended: everything not `closed`. */
  open(): HeldDelivery[] {
    const rows = this.#db.prepare("SELECT * FROM deliveries WHERE status != 'closed' ORDER BY CAST(purchase_id AS INTEGER)").all() as unknown as DeliveryRow[];
    return rows.map(toDelivery);
  }

  setStatus(purchaseId: bigint, status: DeliveryStatus, fields: { revealTx?: Hex | null; error?: string | null } = {}, now = Date.now()): void {
    this.#db
      .prepare("UPDATE deliveries SET status = ?, reveal_tx = COALESCE(?, reveal_tx), error = ?, updated_at = ? WHERE purchase_id = ?")
      .run(status, fields.revealTx ?? null, fields.error ?? null, now, purchaseId.toString());
  }
}

function toDelivery(row: DeliveryRow): HeldDelivery {
  return {
    purchaseId: BigInt(row.purchase_id),
    buyer: row.buyer as Address,
    path: row.path,
    ciphertextRoot: row.ciphertext_root as Hex,
    key: row.key as Hex,
    status: row.status,
    revealTx: row.reveal_tx as Hex | null,
    error: row.error,
  };
}
