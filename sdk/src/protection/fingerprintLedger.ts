/**
 * The seller's fingerprint ledger: the secret every buyer's marks are keyed by, the marks'
 * settings, and the buyers that received a copy (the candidates a trace names). Secret: whoever
 * holds it can find and strip any buyer's marks. JSON: {kind, version, secret, strength,
 * triggers, featureCount, classCount, featureLow, featureHigh, buyers}, held to
 * FINGERPRINT_LEDGER_LIMITS so that a hostile or corrupt file is refused in a sentence instead of
 * making a trace run out of memory or hash for hours.
 */
import { getAddress, isAddress, isHex, type Address, type Hex } from "viem";

export const FINGERPRINT_LEDGER_KIND = "modelbazaar-fingerprint-ledger";

/** What a ledger may hold (docs/PROTOCOL.md §7.3). */
export const FINGERPRINT_LEDGER_LIMITS = {
  /** The file's size; 1,000 buyers take about 46 KB. */
  maxBytes: 1_048_576,
  maxBuyers: 1_000,
  maxTriggers: 1_000,
  maxFeatureCount: 1_048_576,
  /** Trigger labels are bytes, as the watermark's (§7.1). */
  maxClassCount: 256,
  /**
   * Keyed draws a trace makes per mark: buyers × triggers × featureCount trigger values
   * (black-box; 64 MiB as float32), or buyers × the base's weights signs (white-box). About a
   * minute of keccak on one core.
   */
  maxTraceDraws: 16_777_216,
} as const;

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
  const limits = FINGERPRINT_LEDGER_LIMITS;
  if (text.length > limits.maxBytes) throw new FingerprintLedgerError(`${source} is ${text.length} characters, but a fingerprint ledger is at most ${limits.maxBytes}`);
  let file: unknown;
  try {
    file = JSON.parse(text);
  } catch {
    throw new FingerprintLedgerError(`${source} is not JSON, so not a fingerprint ledger`);
  }
  if (typeof file !== "object" || file === null || !("kind" in file) || file.kind !== FINGERPRINT_LEDGER_KIND || !("version" in file) || file.version !== 1) {
    throw new FingerprintLedgerError(`${source} is not a fingerprint ledger (kind "${FINGERPRINT_LEDGER_KIND}", version 1), as \`node scripts/train/fingerprint.ts\` writes`);
  }
  const fields = file as Record<string, unknown>;
  const refuse = (why: string) => new FingerprintLedgerError(`${source}: ${why}`);
  const { secret, strength, featureLow, featureHigh, buyers } = fields;
  if (typeof secret !== "string" || !isHex(secret) || secret.length !== 66) throw refuse(`"secret" must be 32 bytes of 0x-hex`);
  if (typeof strength !== "number" || !(strength > 0 && strength <= 1)) throw refuse(`"strength" must be a number above 0 and at most 1`);
  const triggers = wholeNumber(fields, "triggers", 1, limits.maxTriggers, refuse);
  const featureCount = wholeNumber(fields, "featureCount", 1, limits.maxFeatureCount, refuse);
  const classCount = wholeNumber(fields, "classCount", 2, limits.maxClassCount, refuse);
  if (!isFloat32(featureLow) || !isFloat32(featureHigh) || !(featureLow < featureHigh)) throw refuse(`"featureLow" and "featureHigh" must be finite float32 numbers, the first below the second`);
  if (!Array.isArray(buyers) || buyers.length < 1 || buyers.length > limits.maxBuyers) throw refuse(`"buyers" must be a list of 1 to ${limits.maxBuyers} addresses`);
  const draws = buyers.length * triggers * featureCount;
  if (draws > limits.maxTraceDraws) {
    throw refuse(`${buyers.length} buyers × ${triggers} triggers × ${featureCount} features is ${draws} trigger values, more than a trace draws (${limits.maxTraceDraws}): trace fewer buyers at a time`);
  }
  return { secret, strength, triggers, featureCount, classCount, featureLow, featureHigh, buyers: distinctAddresses(buyers, refuse) };
}

function wholeNumber(fields: Record<string, unknown>, name: string, low: number, high: number, refuse: (why: string) => Error): number {
  const value = fields[name];
  if (typeof value !== "number" || !Number.isInteger(value) || value < low || value > high) throw refuse(`"${name}" must be a whole number from ${low} to ${high}`);
  return value;
}

/** A number float32 holds without overflowing to infinity (trigger inputs are float32). */
function isFloat32(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(Math.fround(value));
}

function distinctAddresses(list: readonly unknown[], refuse: (why: string) => Error): Address[] {
  const first = new Map<Address, number>();
  return list.map((entry, i) => {
    if (typeof entry !== "string" || !isAddress(entry)) throw refuse(`"buyers"[${i}] is not an address`);
    const address = getAddress(entry);
    const earlier = first.get(address);
    if (earlier !== undefined) throw refuse(`"buyers"[${i}] repeats "buyers"[${earlier}]`);
    first.set(address, i);
    return address;
  });
}
