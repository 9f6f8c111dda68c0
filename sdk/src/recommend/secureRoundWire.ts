/**
 * The secure round's wire format, shared by the SDK's client and the aggregator: enrolment
 * `{ clientId, publicKey }` (x25519, 64 hex characters), the roster `{ round, members: [{ clientId,
 * publicKey }] }`, the enrolment status `{ enrolled, needed }` and the masked upload `{ clientId,
 * values }` (base64 of little-endian uint32, exactly the round's vector length). The parsers are
 * strict (no missing or unknown field) and throw a SecureRoundFormatError with a sentence.
 */
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { base64ToBytes, bytesToBase64 } from "./base64Bytes.ts";
import { CLIENT_ID_PATTERN, CLIENT_ID_RULE } from "./clientId.ts";
import type { RosterMember } from "./pairwiseMasks.ts";

/** A body of the secure round is malformed; `message` says how. */
export class SecureRoundFormatError extends Error {
  override readonly name = "SecureRoundFormatError";
}

/** `POST /rounds/:round/enrol` (and one roster member): a client id and its round's public key in hex. */
export interface EnrolmentBody {
  readonly clientId: string;
  readonly publicKey: string;
}

/** `GET /rounds/:round/roster` once the roster closed: members sorted by client id. */
export interface RosterBody {
  readonly round: number;
  readonly members: readonly EnrolmentBody[];
}

/** A parsed roster. */
export interface Roster {
  readonly round: number;
  readonly members: readonly RosterMember[];
}

/** `GET /rounds/:round/roster` while the round is still enrolling (HTTP 202). */
export interface EnrolmentStatus {
  readonly enrolled: number;
  readonly needed: number;
}

/** `POST /rounds/:round/masked`: the masked vector as base64 of little-endian uint32. */
export interface MaskedUploadBody {
  readonly clientId: string;
  readonly values: string;
}

/** A parsed masked upload. */
export interface MaskedUpload {
  readonly clientId: string;
  readonly values: Uint32Array;
}

export function enrolmentBody(member: RosterMember): EnrolmentBody {
  return { clientId: member.clientId, publicKey: bytesToHex(member.publicKey) };
}

export function rosterBody(roster: Roster): RosterBody {
  return { round: roster.round, members: roster.members.map(enrolmentBody) };
}

export function maskedUploadBody(clientId: string, values: Uint32Array): MaskedUploadBody {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((value, k) => view.setUint32(k * 4, value, true));
  return { clientId, values: bytesToBase64(bytes) };
}

/** An enrolment (or one roster member, named `what` in the error). */
export function parseEnrolmentBody(body: unknown, what = "the enrolment"): RosterMember {
  const { clientId, publicKey } = fields(body, what, ["clientId", "publicKey"]);
  return { clientId: checkedClientId(clientId, what), publicKey: publicKeyOf(publicKey, what) };
}

export function parseRosterBody(body: unknown): Roster {
  const { round, members } = fields(body, "the roster", ["round", "members"]);
  if (!Number.isSafeInteger(round) || (round as number) < 0) throw new SecureRoundFormatError("the roster's round must be a non-negative integer");
  if (!Array.isArray(members)) throw new SecureRoundFormatError("the roster's members must be a list");
  return { round: round as number, members: members.map((member: unknown, k) => parseEnrolmentBody(member, `roster member ${k}`)) };
}

export function parseEnrolmentStatus(body: unknown): EnrolmentStatus {
  const { enrolled, needed } = fields(body, "the enrolment status", ["enrolled", "needed"]);
  if (!Number.isSafeInteger(enrolled) || !Number.isSafeInteger(needed)) throw new SecureRoundFormatError("the enrolment status must count enrolled and needed clients in integers");
  return { enrolled: enrolled as number, needed: needed as number };
}

/** A masked upload of exactly `length` uint32 values. */
export function parseMaskedUploadBody(body: unknown, length: number): MaskedUpload {
  const { clientId, values } = fields(body, "the masked upload", ["clientId", "values"]);
  const id = checkedClientId(clientId, "the masked upload");
  if (typeof values !== "string") throw new SecureRoundFormatError("the masked upload's values must be a base64 string of uint32 values");
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes(values);
  } catch (error) {
    throw new SecureRoundFormatError(`the masked upload's values: ${(error as Error).message}`);
  }
  if (bytes.length !== length * 4) throw new SecureRoundFormatError(`the masked upload must hold ${length} uint32 values (${length * 4} bytes), got ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer);
  return { clientId: id, values: Uint32Array.from({ length }, (_, k) => view.getUint32(k * 4, true)) };
}

/** The object's `names` fields, refusing anything but an object with exactly those. */
function fields(body: unknown, what: string, names: readonly string[]): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new SecureRoundFormatError(`${what} must be a JSON object { ${names.join(", ")} }`);
  const extra = Object.keys(body).filter((key) => !names.includes(key));
  if (extra.length > 0) throw new SecureRoundFormatError(`${what} has fields it must not have: ${extra.join(", ")}`);
  return body as Record<string, unknown>;
}

function checkedClientId(clientId: unknown, what: string): string {
  if (typeof clientId !== "string" || !CLIENT_ID_PATTERN.test(clientId)) throw new SecureRoundFormatError(`${what}: ${CLIENT_ID_RULE}`);
  return clientId;
}

const PUBLIC_KEY_HEX = /^[0-9a-f]{64}$/;

function publicKeyOf(text: unknown, what: string): Uint8Array {
  if (typeof text !== "string" || !PUBLIC_KEY_HEX.test(text)) throw new SecureRoundFormatError(`${what}: publicKey must be a 32-byte x25519 key as 64 lowercase hex characters`);
  return hexToBytes(text);
}
