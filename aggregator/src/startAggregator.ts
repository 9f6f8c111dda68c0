/**
 * Starts the recommendation aggregator: the round book (public item factors from a known seed),
 * the HTTP API of the secure round, and the round clock (enrolment and collection timers).
 * Anyone can run one; it learns each round's sum only (aggregator/README.md says what it can
 * still learn, and under which assumption).
 */
import { DEFAULT_MAX_HELD_ROSTER_REQUESTS, DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_ROSTER_WAIT_MS, defaultMaxUploadBytes, type AggregatorConfig } from "./aggregatorConfig.ts";
import { aggregatorServer } from "./aggregatorServer.ts";
import { RoundBook } from "./roundBook.ts";
import { startRoundClock } from "./roundClock.ts";

export interface AggregatorHandle {
  /** e.g. http://127.0.0.1:8790 */
  readonly url: string;
  readonly book: RoundBook;
  close(): Promise<void>;
}

export async function startAggregator(config: AggregatorConfig): Promise<AggregatorHandle> {
  const book = new RoundBook(config);
  const app = aggregatorServer({
    book,
    maxUploadBytes: config.maxUploadBytes ?? defaultMaxUploadBytes(book.contributionLength),
    corsOrigins: config.corsOrigins,
    requestTimeoutMs: config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    rosterWaitMs: config.rosterWaitMs ?? DEFAULT_ROSTER_WAIT_MS,
    maxHeldRosterRequests: config.maxHeldRosterRequests ?? DEFAULT_MAX_HELD_ROSTER_REQUESTS,
  });
  const host = config.host ?? "127.0.0.1";
  await app.listen({ port: config.port, host });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const clock = startRoundClock(book, config.enrolmentMs, config.collectMs);
  return {
    url: `http://${host}:${port}`,
    book,
    async close() {
      clock.stop();
      await app.close();
    },
  };
}
