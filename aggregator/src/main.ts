/**
 * Runs an aggregator on its own: `node aggregator/src/main.ts`. Environment:
 * AGGREGATOR_PORT (default 8790), AGGREGATOR_HOST (127.0.0.1), AGGREGATOR_ITEMS (1024),
 * AGGREGATOR_DIMENSION (16), AGGREGATOR_PARTICIPANTS (100: the roster closes at this many),
 * AGGREGATOR_MIN_PARTICIPANTS (3, at least 2), AGGREGATOR_ROUND_MS (60000: the enrolment timer;
 * 0: none), AGGREGATOR_COLLECT_MS (60000: the time members have to upload),
 * AGGREGATOR_CORS_ORIGINS (comma-separated). Stops on Ctrl-C.
 */
import { MAX_SECURE_PARTICIPANTS } from "@modelbazaar/sdk/recommend";
import { AGGREGATOR_DEFAULTS } from "./aggregatorConfig.ts";
import { startAggregator } from "./startAggregator.ts";

function integer(variable: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(process.env[variable] ?? fallback);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    console.error(`${variable} must be an integer from ${min} to ${max}, got "${process.env[variable]}"`);
    process.exit(2);
  }
  return value;
}

const minParticipants = integer("AGGREGATOR_MIN_PARTICIPANTS", AGGREGATOR_DEFAULTS.minParticipants, 2, MAX_SECURE_PARTICIPANTS);
const aggregator = await startAggregator({
  ...AGGREGATOR_DEFAULTS,
  port: integer("AGGREGATOR_PORT", 8790, 0, 65_535),
  host: process.env.AGGREGATOR_HOST ?? "127.0.0.1",
  itemCount: integer("AGGREGATOR_ITEMS", AGGREGATOR_DEFAULTS.itemCount, 1),
  dimension: integer("AGGREGATOR_DIMENSION", AGGREGATOR_DEFAULTS.dimension, 1),
  participantsPerRound: integer("AGGREGATOR_PARTICIPANTS", AGGREGATOR_DEFAULTS.participantsPerRound, minParticipants, MAX_SECURE_PARTICIPANTS),
  minParticipants,
  enrolmentMs: integer("AGGREGATOR_ROUND_MS", AGGREGATOR_DEFAULTS.enrolmentMs, 0),
  collectMs: integer("AGGREGATOR_COLLECT_MS", AGGREGATOR_DEFAULTS.collectMs, 1),
  corsOrigins: (process.env.AGGREGATOR_CORS_ORIGINS ?? "").split(",").map((o) => o.trim()).filter(Boolean),
});
console.log(`Recommendation aggregator at ${aggregator.url}`);
const stop = () => void aggregator.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
