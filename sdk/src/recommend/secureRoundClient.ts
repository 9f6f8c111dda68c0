/**
 * A buyer's part in one secure round (pairwiseMasks.ts): take a fresh x25519 key pair, enrol
 * with the public key, wait for the roster (long-poll), check it, compute the contribution for
 * the roster's size and encode it (fixedPoint.ts), then upload the masked vector, so the aggregator learns only the round's sum. Nothing of
 * the contribution leaves before the roster passed the checks; a refused roster throws a
 * RosterRefusedError and uploads nothing.
 *
 * The checks cover what a client can see: the roster lists this client with its own public key
 * (a swapped key would let the aggregator unmask this upload against it), ids are unique, every
 * key is a usable x25519 key, and there are at least `minParticipants` and at most
 * MAX_SECURE_PARTICIPANTS members. They cannot tell a real member from one the aggregator made up
 * (ids are not authenticated): an aggregator that fabricates every other member unmasks the
 * upload, which is why the contribution carries its own share of the noise.
 */
import { AggregatorError, answerJson, postJson, refusal, withTimeout, type AggregatorRequestOptions } from "./aggregatorRequest.ts";
import { randomClientId } from "./clientId.ts";
import { encodeFixedPoint, MAX_SECURE_PARTICIPANTS } from "./fixedPoint.ts";
import { maskContribution, secureRoundKeyPair, type RosterMember } from "./pairwiseMasks.ts";
import { enrolmentBody, maskedUploadBody, parseEnrolmentStatus, parseRosterBody, SecureRoundFormatError, type Roster } from "./secureRoundWire.ts";

/** How long a client waits for the roster by default, over all its asks. */
export const SECURE_ROUND_WAIT_MS = 120_000;

/** The fewest members a client takes part with by default: with two, each learns the other's contribution from the sum. */
export const DEFAULT_MIN_PARTICIPANTS = 3;

/** The largest roster answer read: MAX_SECURE_PARTICIPANTS members of a 64-character id and key, with their JSON, and slack. */
const ROSTER_BODY_MAX_BYTES = MAX_SECURE_PARTICIPANTS * 192 + 4_096;

/** The least time between two asks for the roster, should an aggregator answer "still enrolling" without holding the request. */
const MIN_ASK_INTERVAL_MS = 1_000;

/**
 * One round's contribution for a roster of `participants` members: clipped, with this client's
 * share of the round's noise (the share depends on how many add theirs), of the length the
 * round's trainer fixes. Called once the roster passed the checks.
 */
export type SecureContribution = (participants: number) => Float64Array;

export interface SecureRoundOptions extends AggregatorRequestOptions {
  /** The id to enrol with; default a fresh random one (so rounds cannot be linked by it). */
  readonly clientId?: string;
  /** Fewest roster members taken part with; default DEFAULT_MIN_PARTICIPANTS. */
  readonly minParticipants?: number;
  /** How long to wait for the roster, over all asks; default SECURE_ROUND_WAIT_MS. */
  readonly waitMs?: number;
  /**
   * Called with the roster's size once the masked vector is ready, just before it is sent: from
   * here the contribution may reach the aggregator whatever it answers. Throwing sends nothing.
   */
  readonly beforeUpload?: (participants: number) => void;
}

export interface SecureRoundReceipt {
  readonly round: number;
  /** Members of the roster whose sum the contribution went into. */
  readonly participants: number;
}

/** The client refused the aggregator's roster and uploaded nothing; `message` says why. */
export class RosterRefusedError extends Error {
  override readonly name = "RosterRefusedError";
}

/** Takes part in `round` at the aggregator; resolves once the masked upload was taken. */
export async function takePartInSecureRound(aggregatorUrl: string, round: number, contribution: SecureContribution, options: SecureRoundOptions = {}): Promise<SecureRoundReceipt> {
  const keys = secureRoundKeyPair();
  const self: RosterMember = { clientId: options.clientId ?? randomClientId(), publicKey: keys.publicKey };
  await withTimeout(aggregatorUrl, options, (signal) => postJson(aggregatorUrl, `/rounds/${round}/enrol`, enrolmentBody(self), signal));
  const roster = await awaitRoster(aggregatorUrl, round, options);
  const fault = rosterFault(roster, self, round, options.minParticipants ?? DEFAULT_MIN_PARTICIPANTS);
  if (fault) throw rosterRefused(round, fault);
  const encoded = encodeFixedPoint(contribution(roster.members.length)); // a non-finite value is refused before anything is sent
  let masked: Uint32Array;
  try {
    masked = maskContribution(encoded, { clientId: self.clientId, privateKey: keys.privateKey }, roster.members, round);
  } catch {
    throw rosterRefused(round, "a member's public key is not a usable x25519 key (a low-order point gives a shared secret the aggregator knows)");
  }
  options.beforeUpload?.(roster.members.length);
  await withTimeout(aggregatorUrl, options, (signal) => postJson(aggregatorUrl, `/rounds/${round}/masked`, maskedUploadBody(self.clientId, masked), signal));
  return { round, participants: roster.members.length };
}

function rosterRefused(round: number, reason: string): RosterRefusedError {
  return new RosterRefusedError(`refusing the roster of round ${round}: ${reason}; nothing was uploaded`);
}

/** What is wrong with `roster` for `self`, or undefined when it passes every check a client can make. */
function rosterFault(roster: Roster, self: RosterMember, round: number, minParticipants: number): string | undefined {
  const { members } = roster;
  if (roster.round !== round) return `it is the roster of round ${roster.round}`;
  if (members.length < minParticipants) return `it has ${members.length} members, fewer than the ${minParticipants} this client takes part with (a sum of so few tells each member much about the others)`;
  if (members.length > MAX_SECURE_PARTICIPANTS) return `it has ${members.length} members, more than the ${MAX_SECURE_PARTICIPANTS} whose sum the fixed-point encoding holds without wrapping`;
  const ids = new Set<string>();
  for (const { clientId } of members) {
    if (ids.has(clientId)) return `it lists client ${clientId} twice`;
    ids.add(clientId);
  }
  const own = members.find((member) => member.clientId === self.clientId);
  if (!own) return `it does not list this client (${self.clientId})`;
  if (!sameBytes(own.publicKey, self.publicKey)) return "it lists this client with a public key that is not its own (the aggregator could then unmask its upload)";
  return undefined;
}

/** Asks for the roster (each ask held by the aggregator up to ~20 s) until it closed or `waitMs` passed. */
async function awaitRoster(aggregatorUrl: string, round: number, options: SecureRoundOptions): Promise<Roster> {
  const waitMs = options.waitMs ?? SECURE_ROUND_WAIT_MS;
  const deadline = AbortSignal.timeout(waitMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  try {
    for (;;) {
      const asked = Date.now();
      const roster = await withTimeout(aggregatorUrl, { ...options, signal }, (request) => askRoster(aggregatorUrl, round, request));
      if (roster) return roster;
      await pause(MIN_ASK_INTERVAL_MS - (Date.now() - asked), signal);
    }
  } catch (error) {
    if (deadline.aborted && !options.signal?.aborted) throw new AggregatorError(0, "roster_not_closed", `the roster of round ${round} did not close within ${waitMs / 1000} s; no contribution was sent`);
    throw error;
  }
}

/** The closed roster, or undefined while the round still enrols. */
async function askRoster(aggregatorUrl: string, round: number, signal: AbortSignal): Promise<Roster | undefined> {
  const response = await fetch(new URL(`/rounds/${round}/roster?wait=1`, aggregatorUrl), { signal });
  if (response.status === 202) {
    parseEnrolmentStatus(await answerJson(response, ROSTER_BODY_MAX_BYTES, "enrolment status"));
    return undefined;
  }
  if (!response.ok) throw await refusal(response);
  const body = await answerJson(response, ROSTER_BODY_MAX_BYTES, "roster");
  try {
    return parseRosterBody(body);
  } catch (error) {
    if (error instanceof SecureRoundFormatError) throw rosterRefused(round, error.message);
    throw error;
  }
}

/** Waits `ms` (nothing when not positive), or rejects when `signal` aborts first. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const aborted = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", aborted);
      resolve();
    }, ms);
    signal.addEventListener("abort", aborted, { once: true });
  });
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, k) => byte === b[k]);
}
