/**
 * Runs an aggregator on its own: `node aggregator/src/main.ts`. Environment:
 * AGGREGATOR_PORT (default 8790), AGGREGATOR_HOST (127.0.0.1), AGGREGATOR_ITEMS (1024),
 * AGGREGATOR_DIMENSION (16), AGGREGATOR_PARTICIPANTS (100: the roster closes at this many),
 * AGGREGATOR_MIN_PARTICIPANTS (3, at least 2), AGGREGATOR_ROUND_MS (60000: the enrolment timer;
 * 0: none), AGGREGATOR_COLLECT_MS (60000: the time members have to upload),
 * AGGREGATOR_CORS_ORIGINS (comma-separated), and together AGGREGATOR_RPC_URL and
 * AGGREGATOR_DEPLOYMENT (a deployment record, deployments/<chainId>.json): round 0 is then the
 * chain's public factors (publicStart.ts), else the seed's. Stops on Ctrl-C; a setting it cannot
 * use is one sentence and exit code 2.
 */
import { readFileSync } from "node:fs";
import { createPublicClient, http, type PublicClient } from "viem";
import { parseDeployment } from "@modelbazaar/sdk/client";
import { MAX_SECURE_PARTICIPANTS, type ItemFactors } from "@modelbazaar/sdk/recommend";
import { AGGREGATOR_DEFAULTS } from "./aggregatorConfig.ts";
import { chainStartFactors } from "./publicStart.ts";
import { startAggregator } from "./startAggregator.ts";

function refuse(sentence: string): never {
  console.error(sentence);
  process.exit(2);
}

function integer(variable: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(process.env[variable] ?? fallback);
  if (!Number.isSafeInteger(value) || value < min || value > max) refuse(`${variable} must be an integer from ${min} to ${max}, got "${process.env[variable]}"`);
  return value;
}

/** Round 0 from the chain's public factors when AGGREGATOR_RPC_URL and AGGREGATOR_DEPLOYMENT are both set. */
async function startFactorsFromChain(shape: { itemCount: number; dimension: number; seed: number }): Promise<ItemFactors | undefined> {
  const { AGGREGATOR_RPC_URL: rpcUrl, AGGREGATOR_DEPLOYMENT: deploymentPath } = process.env;
  if (!rpcUrl && !deploymentPath) return undefined;
  if (!rpcUrl || !deploymentPath) refuse("AGGREGATOR_RPC_URL and AGGREGATOR_DEPLOYMENT go together: the chain to read the market's public events from, and its deployment record");
  let deployment;
  try {
    deployment = parseDeployment(JSON.parse(readFileSync(deploymentPath, "utf8")), deploymentPath);
  } catch (error) {
    refuse(`AGGREGATOR_DEPLOYMENT: cannot read a deployment record from ${deploymentPath}: ${(error as Error).message}`);
  }
  try {
    return await chainStartFactors(createPublicClient({ transport: http(rpcUrl) }) as PublicClient, deployment, shape);
  } catch (error) {
    refuse(`cannot start from the chain's public factors (AGGREGATOR_RPC_URL ${rpcUrl}): ${(error as Error).message.split("\n")[0]}`);
  }
}

const minParticipants = integer("AGGREGATOR_MIN_PARTICIPANTS", AGGREGATOR_DEFAULTS.minParticipants, 2, MAX_SECURE_PARTICIPANTS);
const shape = {
  itemCount: integer("AGGREGATOR_ITEMS", AGGREGATOR_DEFAULTS.itemCount, 1),
  dimension: integer("AGGREGATOR_DIMENSION", AGGREGATOR_DEFAULTS.dimension, 1),
  seed: AGGREGATOR_DEFAULTS.seed,
};
const startFactors = await startFactorsFromChain(shape);
const aggregator = await startAggregator({
  ...AGGREGATOR_DEFAULTS,
  ...shape,
  ...(startFactors && { startFactors }),
  port: integer("AGGREGATOR_PORT", 8790, 0, 65_535),
  host: process.env.AGGREGATOR_HOST ?? "127.0.0.1",
  participantsPerRound: integer("AGGREGATOR_PARTICIPANTS", AGGREGATOR_DEFAULTS.participantsPerRound, minParticipants, MAX_SECURE_PARTICIPANTS),
  minParticipants,
  enrolmentMs: integer("AGGREGATOR_ROUND_MS", AGGREGATOR_DEFAULTS.enrolmentMs, 0),
  collectMs: integer("AGGREGATOR_COLLECT_MS", AGGREGATOR_DEFAULTS.collectMs, 1),
  corsOrigins: (process.env.AGGREGATOR_CORS_ORIGINS ?? "").split(",").map((o) => o.trim()).filter(Boolean),
});
console.log(`Recommendation aggregator at ${aggregator.url} (round 0: ${startFactors ? "the chain's public factors" : "the seed's factors"})`);
const stop = () => void aggregator.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
