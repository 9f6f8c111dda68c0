/**
 * `npm start`: the embedded default. Starts a local chain (Hardhat node), deploys ModelBazaar
 * with Ignition, lists the trained demo models (models/), starts the seller's worker with the
 * real CKKS engine (SQLite under .modelbazaar/), serves the dApp (app/), prints where
 * everything is, and runs until Ctrl-C, which stops the app, the worker and the chain.
 *
 * Environment: MODELBAZAAR_RPC_PORT (default 8545), MODELBAZAAR_WORKER_PORT (default 8787),
 * MODELBAZAAR_APP_PORT (default 5173); MODELBAZAAR_EXIT_WHEN_READY=1 stops right after printing (used by the tests).
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { network } from "hardhat";
import { formatEther, parseEventLogs } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { REFUND_SAMPLE_SIZES } from "../ignition/modules/RefundDisputeCircuits.ts";
import { startWorker, type WorkerHandle } from "../offchain-worker/src/startWorker.ts";
import { serveApp, type AppServer } from "./lib/appServer.ts";
import { DEMO_MODELS, demoEvaluator, demoListing, devAccountKey } from "./lib/demoListings.ts";
import { deployModelBazaar } from "./lib/deploy.ts";
import { startLocalNode } from "./lib/localNode.ts";
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
const appPort = portFrom("MODELBAZAAR_APP_PORT", 5173);

/** Dev accounts by role (Hardhat's node funds the first 20). */
const SELLER = 1;
const WORKER_SIGNER = 3;

const node = await startLocalNode(port);
let worker: WorkerHandle | undefined;
let app: AppServer | undefined;
let stopping = false;
const shutdown = async (code: number) => {
  if (stopping) return;
  stopping = true;
  await app?.close();
  await worker?.close();
  await node.stop();
  process.exit(code);
};
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

try {
  const connection = await network.connect({ network: "localhost", override: { url: node.url } });
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
    const hash = await registry.write.list(demoListing(name, { workerEndpoint: workerUrl, workerSigner: privateKeyToAccount(signerKey).address }), {
      account: wallets[SELLER]!.account,
    });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    const [event] = parseEventLogs({ abi: registry.abi, logs: receipt.logs, eventName: "ListingCreated" });
    listed.push({ listingId: event!.args.listingId, modelId: name });
  }
  const dataDir = join(ROOT, ".modelbazaar", `worker-${deployment.chainId}`);
  rmSync(dataDir, { recursive: true, force: true }); // a fresh chain: yesterday's jobs are void
  worker = await startWorker({
    rpcUrl: node.url,
    market: deployment.market,
    registry: deployment.registry,
    signerKey,
    dataDir,
    port: workerPort,
    // The dApp's dev server calls the worker from the browser (test-drives).
    corsOrigins: [`http://127.0.0.1:${appPort}`, `http://localhost:${appPort}`],
    listings: listed,
    evaluator: demoEvaluator(listed),
    logLevel: false,
  });
  const roles = ["registry owner", "seller", "buyer", "worker signer", "bidder", "bidder", "bidder"];
  const devAccounts = roles.map((role, i) => ({ address: privateKeyToAccount(devAccountKey(i)).address, privateKey: devAccountKey(i), role }));
  app = await serveApp({ port: appPort, rpcUrl: node.url, deployment, devAccounts });
  const lines = await Promise.all(
    wallets.slice(0, roles.length).map(async (w, i) => {
      const balance = await publicClient.getBalance({ address: w.account.address });
      return `  #${i} ${w.account.address}  ${formatEther(balance)} ETH  (${roles[i]})`;
    }),
  );
  console.log(
    [
      "",
      "ModelBazaar is running on a local chain.",
      "",
      `  JSON-RPC        ${node.url}  (chain id ${deployment.chainId})`,
      `  ModelRegistry   ${deployment.registry}`,
      `  ModelMarket     ${deployment.market}`,
      `  RefundDisputes  ${refundDisputes}  (Groth16, refund circuits of ${REFUND_SAMPLE_SIZES.join(", ")} samples)`,
      `  Addresses       deployments/${deployment.chainId}.json`,
      `  dApp            ${app.url}  (connect with your wallet, or the dev wallet: these accounts)`,
      `  Worker          ${worker.url}  (signer ${worker.address}, CKKS, jobs in .modelbazaar/)`,
      "",
      "Listings (fixed price 5 ETH, deposit 1 ETH, seller #1):",
      ...listed.map(({ listingId, modelId }) => `  #${listingId} ${modelId}`),
      "",
      "Dev accounts with test ETH (Hardhat's well-known keys; never use them elsewhere):",
      ...lines,
      "",
      "Press Ctrl-C to stop.",
    ].join("\n"),
  );
  if (process.env.MODELBAZAAR_EXIT_WHEN_READY === "1") await shutdown(0);
} catch (error) {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  await shutdown(1);
}
