/**
 * Starts the recommendation aggregator: the round book (public item factors from a known seed),
 * the HTTP API, and the round timer if one is configured. Anyone can run one; it sees only
 * clipped, noised item updates (docs/THREAT-MODEL.md says what it can still learn).
 */
import { DEFAULT_REQUEST_TIMEOUT_MS, defaultMaxUploadBytes, type AggregatorConfig } from "./aggregatorConfig.ts";
import { aggregatorServer } from "./aggregatorServer.ts";
import { RoundBook } from "./roundBook.ts";

export interface AggregatorHandle {
  /** e.g. http://127.0.0.1:8790 */
  readonly url: string;
  readonly book: RoundBook;
  /** Closes the open round now (false below the minimum uploads). */
  closeRound(): boolean;
  close(): Promise<void>;
}

export async function startAggregator(config: AggregatorConfig): Promise<AggregatorHandle> {
  const book = new RoundBook(config);
  const closeRound = () => book.close();
  const app = aggregatorServer({
    book,
    maxUploadBytes: config.maxUploadBytes ?? defaultMaxUploadBytes(config.itemCount, config.dimension),
    corsOrigins: config.corsOrigins,
    requestTimeoutMs: config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    onRoundFull: closeRound,
  });
  const host = config.host ?? "127.0.0.1";
  await app.listen({ port: config.port, host });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const timer = config.roundIntervalMs > 0 ? setInterval(closeRound, config.roundIntervalMs) : undefined;
  return {
    url: `http://${host}:${port}`,
    book,
    closeRound,
    async close() {
      clearInterval(timer);
      await app.close();
    },
  };
}
