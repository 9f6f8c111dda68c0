/**
 * `npm start`: the embedded default. Starts a local chain (Hardhat node, mining each
 * transaction at once and a block every 2 s so its clock moves), deploys ModelBazaar with
 * Ignition, lists the trained demo models (models/), has six other dev accounts buy some of them
 * (public purchases the recommendations learn from: scripts/lib/demoPurchases.ts), starts the
 * seller's worker with the real CKKS engine (SQLite under .modelbazaar/), starts the
 * recommendation aggregator (aggregator/: opt-in federated training, noised updates only), serves the dApp (app/), prints where everything is
 * and the funded dev accounts with their keys, leaves a note for the `bazaar` CLI to find it
 * (scripts/lib/runningStack.ts), and runs until Ctrl-C, which stops the app, the worker and the chain.
 *
 * Environment: MODELBAZAAR_RPC_PORT (default 8545), MODELBAZAAR_WORKER_PORT (default 8787), MODELBAZAAR_AGGREGATOR_PORT (default 8790),
 * MODELBAZAAR_APP_PORT (default 5173); MODELBAZAAR_APP_ORIGINS, comma-separated browser origins the
 * worker allows besides the dev server's (a production build served elsewhere); MODELBAZAAR_EXIT_WHEN_READY=1 stops right after printing (used by the tests).
 * MODELBAZAAR_CONTESTABLE_DEMO=1 lists the demo models contestable (32 to 1,024 samples, a dispute policy signed by the seller; their contests are left to the seller).
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { network } from "hardhat";
import { formatEther, parseEventLogs } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { parseDeployment } from "@modelbazaar/sdk/client";
import { LOCAL_DEV_BLOCK_INTERVAL_MS } from "../hardhat.config.ts";
import { REFUND_SAMPLE_SIZES } from "../ignition/modules/RefundDisputeCircuits.ts";
import { AGGREGATOR_DEFAULTS } from "../aggregator/src/aggregatorConfig.ts";
import { chainStartFactors } from "../aggregator/src/publicStart.ts";
import { startAggregator, type AggregatorHandle } from "../aggregator/src/startAggregator.ts";
import { startWorker, type WorkerHandle } from "../offchain-worker/src/startWorker.ts";
import { serveApp, type AppServer } from "./lib/appServer.ts";
import { DEMO_MODELS, demoEvaluator, contestableDemoListing, demoListing, devAccountKey } from "./lib/demoListings.ts";
import { DEMO_PURCHASES, seedDemoPurchases } from "./lib/demoPurchases.ts";
import { DEV_KEYS_WARNING, devAccounts } from "./lib/devAccounts.ts";
import { deployModelBazaar } from "./lib/deploy.ts";
import { startLocalNode } from "./lib/localNode.ts";
import { announceRunningStack } from "./lib/runningStack.ts";
import { ROOT } from "./zk/compile.ts";

function portFrom(variable: string, fallback: number): number {
  const port = Number(process.env[variable] ?? fallback);
  if (!Number.isInteger(port) || port <= 0 || port > 65_535) {
    console.error(`${variable} must be a TCP port, got "${process.env[variable]}"`);
    process.exit(2);
  }
  return port;
}
const port = portFrom("MODELBAZAAR_RPC_PORT", 8545);
const workerPort = portFrom("MODELBAZAAR_WORKER_PORT", 8787);
const aggregatorPort = portFrom("MODELBAZAAR_AGGREGATOR_PORT", 8790);
const appPort = portFrom("MODELBAZAAR_APP_PORT", 5173);

/** MODELBAZAAR_APP_ORIGINS as origins ("http://127.0.0.1:4173,..."), refusing anything else with a sentence. */
function extraAppOrigins(): string[] {
  const origins = (process.env.MODELBAZAAR_APP_ORIGINS ?? "").split(",").map((o) => o.trim()).filter((o) => o !== "");
  for (const origin of origins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
      console.error(`MODELBAZAAR_APP_ORIGINS must list origins like http://127.0.0.1:4173 (scheme, host, port, no path), got "${origin}"`);
      process.exit(2);
    }
  }
  return origins;
}
const appOrigins = extraAppOrigins();
/** MODELBAZAAR_CONTESTABLE_DEMO=1: the demo listings take 32 to 1,024 samples and have a contestable dispute policy, as `bazaar list` gives them. */
const contestable = process.env.MODELBAZAAR_CONTESTABLE_DEMO === "1";

/** "9,999.9986 ETH": a balance to read at a glance. */
const ethText = (wei: bigint): string => `${Number(formatEther(wei)).toLocaleString("en-US", { maximumFractionDigits: 4 })} ETH`;

/** Dev accounts by role (Hardhat's node funds the first 20; scripts/lib/devAccounts.ts names them all). */
const SELLER = 1;
const WORKER_SIGNER = 3;

const node = await startLocalNode(port, { network: "localDev" });
let worker: WorkerHandle | undefined;
let aggregator: AggregatorHandle | undefined;
let app: AppServer | undefined;
let withdrawNote: (() => void) | undefined;
let stopping = false;
const shutdown = async (code: number) => {
  if (stopping) return;
  stopping = true;
  withdrawNote?.();
  await app?.close();
  await aggregator?.close();
  await worker?.close();
  await node.stop();
  process.exit(code);
};
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

try {
  const connection = await network.create({ network: "localhost", override: { url: node.url } });
  const { deployment } = await deployModelBazaar(connection, { fresh: true });
  const publicClient = await connection.viem.getPublicClient();
  const wallets = await connection.viem.getWalletClients();

  const signerKey = devAccountKey(WORKER_SIGNER);
  const workerUrl = `http://127.0.0.1:${workerPort}`;
  const listed: { listingId: bigint; modelId: string }[] = [];
  const registry = await connection.viem.getContractAt("ModelRegistry", deployment.registry);
  const market = await connection.viem.getContractAt("ModelMarket", deployment.market);
  const refundDisputes = await market.read.refundDisputes();
  for (const name of DEMO_MODELS) {
    const offer = { workerEndpoint: workerUrl, workerSigner: privateKeyToAccount(signerKey).address };
    const listing = contestable ? await contestableDemoListing(name, offer, wallets[SELLER]!) : demoListing(name, offer);
    const hash = await registry.write.list(listing, { account: wallets[SELLER]!.account });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    const [event] = parseEventLogs({ abi: registry.abi, logs: receipt.logs, eventName: "ListingCreated" });
    // Contestable demo listings are contested by hand (`bazaar contest`, or a test as the seller).
    listed.push({ listingId: event!.args.listingId, modelId: name, ...(contestable && { contest: false }) });
  }
  const purchases = await seedDemoPurchases(async (accountIndex, model) => {
    const listingId = listed.find((l) => l.modelId === model)!.listingId;
    const [, , , price] = await registry.read.saleTerms([listingId]);
    const hash = await market.write.buy([listingId, 0n, price], { account: wallets[accountIndex]!.account, value: price });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`the demo purchase of listing #${listingId} by dev account #${accountIndex} reverted`);
  });
  // The dApp's dev server calls the worker and the aggregator from the browser, and so may the
  // other origins MODELBAZAAR_APP_ORIGINS names (e.g. `vite preview` of a production build).
  const browserOrigins = [`http://127.0.0.1:${appPort}`, `http://localhost:${appPort}`, ...appOrigins];
  const dataDir = join(ROOT, ".modelbazaar", `worker-${deployment.chainId}`);
  rmSync(dataDir, { recursive: true, force: true }); // a fresh chain: yesterday's jobs are void
  worker = await startWorker({
    rpcUrl: node.url,
    market: deployment.market,
    registry: deployment.registry,
    signerKey,
    dataDir,
    port: workerPort,
    corsOrigins: browserOrigins,
    listings: listed,
    evaluator: demoEvaluator(listed),
    logLevel: false,
  });
  // The recommendation aggregator: federated item factors for every listing slot, updated from the
  // sum of a round's masked contributions (secure aggregation: it learns only the sum; opt-in
  // research, they do not rank); the dApp calls it from the browser while its buyer takes part.
  // Round 0 is the chain's public factors (what every client ranks with; the rounds fine-tune
  // them). A local market has few buyers: its rosters close every 10 s once 3 enrolled.
  const startFactors = await chainStartFactors(publicClient, parseDeployment(deployment), AGGREGATOR_DEFAULTS);
  aggregator = await startAggregator({ ...AGGREGATOR_DEFAULTS, port: aggregatorPort, corsOrigins: browserOrigins, enrolmentMs: 10_000, startFactors });
  const accounts = devAccounts();
  app = await serveApp({ port: appPort, rpcUrl: node.url, deployment, aggregatorUrl: aggregator.url, devAccounts: accounts.map(({ address, privateKey, role }) => ({ address, privateKey, role })) });
  withdrawNote = announceRunningStack({
    pid: process.pid,
    rpcUrl: node.url,
    chainId: deployment.chainId,
    deployment,
    workerUrl: worker.url,
    aggregatorUrl: aggregator.url,
    appUrl: app.url,
    startedAt: new Date().toISOString(),
  });
  const balances = await Promise.all(accounts.map(({ address }) => publicClient.getBalance({ address })));
  const buyer = accounts.find((a) => a.role === "buyer")!;
  const defaultPort = port === 8545;
  console.log(
    [
      "",
      "ModelBazaar is running on a local chain.",
      "",
      `  JSON-RPC        ${node.url}  (chain id ${deployment.chainId}; a block every ${LOCAL_DEV_BLOCK_INTERVAL_MS / 1000} s)`,
      `  ModelRegistry   ${deployment.registry}`,
      `  ModelMarket     ${deployment.market}`,
      `  RefundDisputes  ${refundDisputes}  (Groth16, refund circuits of ${REFUND_SAMPLE_SIZES.join(", ")} samples)`,
      `  Addresses       deployments/${deployment.chainId}.json`,
      `  dApp            ${app.url}  (connect with your wallet, or the dev wallet: these accounts)`,
      `  Worker          ${worker.url}  (signer ${worker.address}, CKKS, jobs in .modelbazaar/)`,
      `  Aggregator      ${aggregator.url}  (opt-in federated training: item factors of ${AGGREGATOR_DEFAULTS.itemCount} listings, dimension ${AGGREGATOR_DEFAULTS.dimension}; noised updates only; the ranking never asks it)`,
      "",
      "Listings (fixed price 5 ETH, deposit 1 ETH, seller #1):",
      ...listed.map(({ listingId, modelId }) => `  #${listingId} ${modelId}`),
      `Dev accounts #${Math.min(...DEMO_PURCHASES.keys())}-#${Math.max(...DEMO_PURCHASES.keys())} bought ${purchases} of them (public purchases the recommendations learn from; each awaits the seller's delivery).`,
      "",
      `Dev accounts with test ETH, DEVELOPMENT ONLY: ${DEV_KEYS_WARNING}.`,
      ...accounts.flatMap(({ index, role, does, address, privateKey }, i) => [
        `  #${index} ${role.padEnd(14)} ${address}  ${ethText(balances[i]!)}  (${does})`,
        `     private key    ${privateKey}`,
      ]),
      "",
      "Use the CLI as one of them, e.g. the buyer, in another terminal (it finds this chain by itself):",
      `  export MODELBAZAAR_PRIVATE_KEY=${buyer.privateKey}`,
      "  npm run bazaar -- listings",
      "Windows last hours to days; move this chain's clock instead of waiting:",
      "  npm run bazaar -- dev advance 1d",
      ...(defaultPort ? [] : [`(if more than one stack runs, MODELBAZAAR_RPC_PORT=${port} tells the CLI which)`]),
      "",
      "Press Ctrl-C to stop.",
    ].join("\n"),
  );
  if (process.env.MODELBAZAAR_EXIT_WHEN_READY === "1") await shutdown(0);
} catch (error) {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  await shutdown(1);
}
