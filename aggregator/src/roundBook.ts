/**
 * The aggregator's state: the public item factors, the open round, and the uploads it holds
 * (one per client id). A round closes by averaging its uploads into the factors
 * (`aggregateUpdates` of the SDK) and opens the next one. Refusals are `RoundRefusal`s with the
 * HTTP status and a sentence.
 */
import { aggregateUpdates, randomItemFactors, seededRandom, type ItemFactors, type ParsedUpload, type PublishedFactors } from "@modelbazaar/sdk/recommend";
import type { AggregatorConfig } from "./aggregatorConfig.ts";

/** A refused upload: HTTP status, machine code and a sentence. */
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

export class RoundBook {
  #factors: ItemFactors;
  #round = 0;
  #uploads = new Map<string, ParsedUpload>();
  readonly #config: AggregatorConfig;

  constructor(config: AggregatorConfig) {
    this.#config = config;
    this.#factors = randomItemFactors(config.itemCount, config.dimension, seededRandom(config.seed));
  }

  /** The factors and the round they open. */
  get published(): PublishedFactors {
    return { round: this.#round, factors: this.#factors };
  }

  /** Uploads held for the open round. */
  get pending(): number {
    return this.#uploads.size;
  }

  /** Takes one client's upload for the open round; returns true when that filled the round. */
  accept(upload: ParsedUpload): boolean {
    if (upload.round !== this.#round) {
      throw new RoundRefusal(409, "wrong_round", `round ${upload.round} is not open; the open round is ${this.#round} (download the factors again)`);
    }
    if (this.#uploads.has(upload.clientId)) {
      throw new RoundRefusal(409, "duplicate_upload", `client ${upload.clientId} already sent its update for round ${this.#round}; one upload per client per round`);
    }
    this.#uploads.set(upload.clientId, upload);
    return this.#uploads.size >= this.#config.uploadsPerRound;
  }

  /** Averages the round's uploads into the factors and opens the next round; false (nothing done) below the minimum. */
  close(): boolean {
    if (this.#uploads.size === 0 || this.#uploads.size < this.#config.minUploadsPerRound) return false;
    this.#factors = aggregateUpdates(this.#factors, [...this.#uploads.values()], this.#config);
    this.#uploads = new Map();
    this.#round++;
    return true;
  }
}
