/**
 * Runs an aggregator on its own: `node aggregator/src/main.ts`. Environment:
 * AGGREGATOR_PORT (default 8790), AGGREGATOR_HOST (127.0.0.1), AGGREGATOR_ITEMS (1024),
 * AGGREGATOR_DIMENSION (16), AGGREGATOR_UPLOADS_PER_ROUND (100), AGGREGATOR_ROUND_MS (0: no timer),
 * AGGREGATOR_MIN_UPLOADS (1), AGGREGATOR_CORS_ORIGINS (comma-separated). Stops on Ctrl-C.
 */
import { AGGREGATOR_DEFAULTS } from "./aggregatorConfig.ts";
import { startAggregator } from "./startAggregator.ts";

function integer(variable: string, fallback: number, min: number): number {
  const value = Number(process.env[variable] ?? fallback);
  if (!Number.isSafeInteger(value) || value < min) {
    console.error(`${variable} must be an integer of at least ${min}, got "${process.env[variable]}"`);
    process.exit(2);
  }
  return value;
}

const aggregator = await startAggregator({
  ...AGGREGATOR_DEFAULTS,
  port: integer("AGGREGATOR_PORT", 8790, 0),
  host: process.env.AGGREGATOR_HOST ?? "127.0.0.1",
  itemCount: integer("AGGREGATOR_ITEMS", AGGREGATOR_DEFAULTS.itemCount, 1),
  dimension: integer("AGGREGATOR_DIMENSION", AGGREGATOR_DEFAULTS.dimension, 1),
  uploadsPerRound: integer("AGGREGATOR_UPLOADS_PER_ROUND", AGGREGATOR_DEFAULTS.uploadsPerRound, 1),
  roundIntervalMs: integer("AGGREGATOR_ROUND_MS", AGGREGATOR_DEFAULTS.roundIntervalMs, 0),
  minUploadsPerRound: integer("AGGREGATOR_MIN_UPLOADS", AGGREGATOR_DEFAULTS.minUploadsPerRound, 1),
  corsOrigins: (process.env.AGGREGATOR_CORS_ORIGINS ?? "").split(",").map((o) => o.trim()).filter(Boolean),
});
console.log(`Recommendation aggregator at ${aggregator.url}`);
const stop = () => void aggregator.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
