/**
 * The seller's fingerprint ledger: the secret every buyer's marks are keyed by, the marks'
 * settings, and the buyers that received a copy (the candidates a trace names). Secret: whoever
 * holds it can find and strip any buyer's marks. JSON: {kind, version, secret, strength,
 * triggers, featureCount, classCount, featureLow, featureHigh, buyers}.
 */
import { getAddress, isAddress, isHex, type Address, type Hex } from "viem";

export const FINGERPRINT_LEDGER_KIND = "modelbazaar-fingerprint-ledger";

export interface FingerprintLedger {
  /** 32 random bytes. */
  readonly secret: Hex;
  /** The white-box mark's size, in root-mean-squares of each weight tensor. */
  readonly strength: number;
  /** Triggers of each buyer's black-box mark. */
  readonly triggers: number;
  /** The model's task, and the range its triggers' features are drawn in (the training data's). */
  readonly featureCount: number;
  readonly classCount: number;
  readonly featureLow: number;
  readonly featureHigh: number;
  readonly buyers: readonly Address[];
}

export class FingerprintLedgerError extends Error {
  override readonly name = "FingerprintLedgerError";
}

export function serializeFingerprintLedger(ledger: FingerprintLedger): string {
  return `${JSON.stringify({ kind: FINGERPRINT_LEDGER_KIND, version: 1, ...ledger }, null, 1)}\n`;
}

export function parseFingerprintLedger(text: string, source: string): FingerprintLedger {
  let file: Record<string, unknown>;
  try {
    file = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new FingerprintLedgerError(`${source} is not JSON, so not a fingerprint ledger`);
  }
  if (typeof file !== "object" || file === null || file.kind !== FINGERPRINT_LEDGER_KIND || file.version !== 1) {
    throw new FingerprintLedgerError(`${source} is not a fingerprint ledger (kind "${FINGERPRINT_LEDGER_KIND}", version 1), as \`node scripts/train/fingerprint.ts\` writes`);
  }
  if (typeof file.secret !== "string" || !isHex(file.secret) || file.secret.length !== 66) throw new FingerprintLedgerError(`${source}: "secret" must be 32 bytes of 0x-hex`);
  if (typeof file.strength !== "number" || !(file.strength > 0)) throw new FingerprintLedgerError(`${source}: "strength" must be a positive number`);
  for (const field of ["triggers", "featureCount", "classCount"] as const) {
    const value = file[field];
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1) throw new FingerprintLedgerError(`${source}: "${field}" must be a positive whole number`);
  }
  if (typeof file.featureLow !== "number" || typeof file.featureHigh !== "number" || !(file.featureLow < file.featureHigh)) throw new FingerprintLedgerError(`${source}: "featureLow" and "featureHigh" must be numbers, the first below the second`);
  if (!Array.isArray(file.buyers) || !file.buyers.every((b) => typeof b === "string" && isAddress(b))) throw new FingerprintLedgerError(`${source}: "buyers" must be a list of addresses`);
  const { triggers, featureCount, classCount, featureLow, featureHigh } = file as unknown as FingerprintLedger;
  return { secret: file.secret, strength: file.strength, triggers, featureCount, classCount, featureLow, featureHigh, buyers: (file.buyers as string[]).map((b) => getAddress(b)) };
}
