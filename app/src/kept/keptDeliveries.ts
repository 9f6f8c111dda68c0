/**
 * The buyer's downloaded deliveries, kept in this browser's IndexedDB (localStorage holds
 * strings of a few MB at most; a delivery is twice the model's size). A delivery is kept once
 * it is checked against the on-chain ciphertext root and before the page offers Accept: after
 * accepting, the seller is paid whether or not the buyer still holds the ciphertext, so a
 * reload or a crash between download and decryption must not lose it. Each record is the
 * delivery file as the worker served it (sdk/src/delivery/deliveryFile.ts), keyed by the
 * deployment and the purchase; the page checks it against the chain again when it reads it
 * back. `exportKeptDelivery` offers the file, which `bazaar download <id> --from <file>` reads.
 */
import type { Address } from "viem";
import { keptPrefix, offerDownload } from "./keptRecords.ts";

const DATABASE = "modelbazaar";
const STORE = "deliveries";

interface KeptDeliveryRecord {
  readonly file: Uint8Array;
  readonly keptAt: string;
}

export interface DeliveryPlace {
  readonly chainId: number;
  readonly market: Address;
  readonly purchaseId: bigint;
}

const keyOf = ({ chainId, market, purchaseId }: DeliveryPlace) => `${keptPrefix("delivery", chainId, market)}.purchase.${purchaseId}`;

/** The browser's refusal, as a sentence (storage disabled, full, or blocked). */
export class KeptDeliveryError extends Error {
  override readonly name = "KeptDeliveryError";
}

function openDatabase(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === "undefined") return reject(new KeptDeliveryError("this browser has no IndexedDB"));
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(new KeptDeliveryError(`this browser refused its storage (${request.error?.message ?? "IndexedDB failed"})`));
    request.onblocked = () => reject(new KeptDeliveryError("another tab of this site holds an older version of its storage open: close it and try again"));
  });
}

/** Runs `use` in a transaction on the store and resolves once the transaction has committed. */
async function inStore<T>(mode: IDBTransactionMode, use: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const database = await openDatabase();
  try {
    return await new Promise<T>((resolve, reject) => {
      const transaction = database.transaction(STORE, mode, { durability: "strict" }); // complete only once on disk
      const request = use(transaction.objectStore(STORE));
      const failed = () => reject(new KeptDeliveryError(`this browser refused to store the delivery (${transaction.error?.message ?? request.error?.message ?? "IndexedDB failed"})`));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = failed;
      transaction.onabort = failed;
    });
  } finally {
    database.close();
  }
}

/** Keeps the delivery file of a purchase; resolves once it is durably written, throws {KeptDeliveryError} otherwise. */
export async function keepDelivery(place: DeliveryPlace, file: Uint8Array): Promise<void> {
  const record: KeptDeliveryRecord = { file, keptAt: new Date().toISOString() };
  await inStore("readwrite", (store) => store.put(record, keyOf(place)));
}

/** The delivery file kept for a purchase in this browser, if any. */
export async function keptDelivery(place: DeliveryPlace): Promise<Uint8Array | undefined> {
  const record = await inStore<KeptDeliveryRecord | undefined>("readonly", (store) => store.get(keyOf(place)) as IDBRequest<KeptDeliveryRecord | undefined>);
  return record?.file;
}

/** Offers the delivery file as a download, e.g. "modelbazaar-delivery-31337-purchase-4.mbzdlv". */
export function exportKeptDelivery(place: DeliveryPlace, file: Uint8Array): void {
  offerDownload(`modelbazaar-delivery-${place.chainId}-purchase-${place.purchaseId}.mbzdlv`, new Blob([file as Uint8Array<ArrayBuffer>], { type: "application/octet-stream" }));
}
