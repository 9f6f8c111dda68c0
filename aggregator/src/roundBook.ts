/**
 * The aggregator's state for secure aggregation: the public item factors and the open round,
 * which is enrolling (clients post their round's public key), then collecting (the roster is
 * closed and announced; each member posts its masked vector), then applied (the ring sum of every
 * member's upload, decoded, goes through `applySum`, and the next round opens) or aborted (a
 * member did not upload in time: the next round opens, the factors unchanged, and the partial
 * sum is dropped, since revealing the missing masks would expose the others). Masked uploads are
 * added into one running sum and not kept. Every transition emits "change" on `events` (and
 * "applied" or "aborted" with the round). Refusals are RoundRefusals with the HTTP status, a
 * code and a sentence.
 */
import { EventEmitter } from "node:events";
import {
  addInRing,
  compareIds,
  decodeFixedPointSum,
  FIXED_POINT_CLAMP,
  randomItemFactors,
  seededRandom,
  type EnrolmentStatus,
  type ItemFactors,
  type MaskedUpload,
  type PublishedFactors,
  type Roster,
  type RosterMember,
} from "@modelbazaar/sdk/recommend";
import { checkAggregatorConfig, type AggregatorConfig } from "./aggregatorConfig.ts";

/** A refused request: HTTP status, machine code and a sentence. */
export class RoundRefusal extends Error {
  override readonly name = "RoundRefusal";
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export type RoundState = "enrolling" | "collecting";

export class RoundBook {
  #factors: ItemFactors;
  #round = 0;
  #enrolled = new Map<string, RosterMember>();
  #roster: Roster | undefined;
  #uploaded = new Set<string>();
  #sum: Uint32Array;
  readonly #config: AggregatorConfig;
  /** The length of every contribution of a round. */
  readonly contributionLength: number;
  /** "change" on every transition; "rosterClosed", "applied" and "aborted" with the round. */
  readonly events = new EventEmitter().setMaxListeners(0);

  constructor(config: AggregatorConfig) {
    checkAggregatorConfig(config);
    this.#config = config;
    this.#factors = config.startFactors ?? randomItemFactors(config.itemCount, config.dimension, seededRandom(config.seed));
    this.contributionLength = config.contributionLength(config.itemCount, config.dimension);
    this.#sum = new Uint32Array(this.contributionLength);
  }

  /** The factors and the round they open. */
  get published(): PublishedFactors {
    return { round: this.#round, factors: this.#factors };
  }

  get state(): RoundState {
    return this.#roster ? "collecting" : "enrolling";
  }

  /** Clients enrolled in the open round, and members that uploaded. */
  get counts(): { readonly enrolled: number; readonly uploaded: number } {
    return { enrolled: this.#enrolled.size, uploaded: this.#uploaded.size };
  }

  /** Enrols `member` in `round`; the roster closes when that made it full. */
  enrol(round: number, member: RosterMember): void {
    this.#requireOpen(round);
    if (this.#roster) throw new RoundRefusal(409, "enrolment_closed", `the roster of round ${round} is closed; enrol in round ${round + 1} once it opens`);
    if (this.#enrolled.has(member.clientId)) throw new RoundRefusal(409, "duplicate_enrolment", `client ${member.clientId} already enrolled in round ${round}; one enrolment per client per round`);
    this.#enrolled.set(member.clientId, member);
    if (this.#enrolled.size >= this.#config.participantsPerRound) this.#closeRoster();
  }

  /** The enrolment timer: closes the roster when at least minParticipants enrolled; false (still enrolling) otherwise. */
  closeEnrolment(): boolean {
    if (this.#roster) return true;
    if (this.#enrolled.size < this.#config.minParticipants) return false;
    this.#closeRoster();
    return true;
  }

  /** The closed roster of `round`, or how many enrolled and are needed while it enrols. */
  roster(round: number): Roster | EnrolmentStatus {
    this.#requireOpen(round);
    return this.#roster ?? { enrolled: this.#enrolled.size, needed: this.#config.minParticipants };
  }

  /** Adds a roster member's masked vector into the round's sum; the round is applied when every member uploaded. */
  acceptMasked(round: number, upload: MaskedUpload): void {
    this.#requireOpen(round);
    if (!this.#roster) throw new RoundRefusal(409, "not_collecting", `round ${round} is still enrolling; upload once its roster is announced`);
    if (!this.#enrolled.has(upload.clientId)) throw new RoundRefusal(403, "not_in_roster", `client ${upload.clientId} is not in the roster of round ${round}`); // once closed, the enrolled are the roster
    if (this.#uploaded.has(upload.clientId)) throw new RoundRefusal(409, "duplicate_upload", `client ${upload.clientId} already uploaded its masked vector for round ${round}; one upload per member per round`);
    addInRing(this.#sum, upload.values);
    this.#uploaded.add(upload.clientId);
    if (this.#uploaded.size === this.#roster.members.length) this.#apply();
  }

  /** The collection timer of `round`: aborts it if it is still collecting (false when it already ended). */
  abort(round: number): boolean {
    if (round !== this.#round || !this.#roster) return false;
    this.#next("aborted");
    return true;
  }

  #requireOpen(round: number): void {
    if (round !== this.#round) throw new RoundRefusal(409, "wrong_round", `round ${round} is not open; the open round is ${this.#round}`);
  }

  #closeRoster(): void {
    const members = [...this.#enrolled.values()].sort((a, b) => compareIds(a.clientId, b.clientId));
    this.#roster = { round: this.#round, members };
    this.events.emit("rosterClosed", this.#round);
    this.events.emit("change");
  }

  #apply(): void {
    const participants = this.#roster!.members.length;
    const sum = decodeFixedPointSum(this.#sum);
    // Honest contributions are clamped to ±FIXED_POINT_CLAMP, so a sum beyond participants × that
    // holds a member's garbage (a masked vector cannot be checked alone): the round is dropped.
    if (sum.some((value) => Math.abs(value) > participants * FIXED_POINT_CLAMP)) {
      this.#next("aborted");
      return;
    }
    const next = this.#config.applySum(this.#factors, sum, participants);
    const { count, dimension, values } = this.#factors;
    if (next.count !== count || next.dimension !== dimension || next.values.length !== values.length || !next.values.every(Number.isFinite)) {
      this.#next("aborted");
      throw new Error(`applySum gave factors of another shape or non-finite values; round ${this.#round - 1} aborted`);
    }
    this.#factors = next;
    this.#next("applied");
  }

  /** Opens the next round: fresh enrolment, an empty sum. */
  #next(outcome: "applied" | "aborted"): void {
    const ended = this.#round;
    this.#round++;
    this.#enrolled = new Map();
    this.#roster = undefined;
    this.#uploaded = new Set();
    this.#sum = new Uint32Array(this.contributionLength);
    this.events.emit(outcome, ended);
    this.events.emit("change");
  }
}
