/**
 * The demo's own marketplace: a Hardhat node on a free port (MODELBAZAAR_DEMO_RPC_PORT
 * overrides), ModelBazaar deployed with Ignition under a deployment id of its own (so the
 * journal of `npm start` and deployments/31337.json stay untouched), the deployment record
 * in a temp dir, four Iris listings by the seller and the real CKKS worker on a free port.
 * `stop()` closes the worker and the node and removes the temp files, also after a failure.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { network } from "hardhat";
import { createPublicClient, createWalletClient, http, parseEther, parseEventLogs, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { Deployment } from "@modelbazaar/sdk/client";
import { modelRegistryAbi } from "@modelbazaar/sdk/abis";
import { SALE_MODES } from "@modelbazaar/sdk/listings";
import ModelBazaarModule from "../../ignition/modules/ModelBazaar.ts";
import { startWorker, type WorkerHandle } from "../../offchain-worker/src/startWorker.ts";
import { demoEvaluator, demoListing, devAccountKey } from "../lib/demoListings.ts";
import { startLocalNode, type LocalNode } from "../lib/localNode.ts";
import { freePort } from "../lib/freePort.ts";

/** Dev accounts by role. */
export const ROLES = { seller: 1, buyerA: 2, workerSigner: 3, bidders: [4, 5, 6], buyerB: 7, cheater: 8, victim: 9 } as const;

/** The inflated claim of the bad listing (the model really reaches its card's 96.66 %). */
export const INFLATED_CLAIM_BPS = 9_950;
export const FIXED_PRICE = parseEther("5");

export interface DemoListings {
  good: bigint;
  bad: bigint;
  auctioned: bigint;
  cheated: bigint;
}

export interface DemoStack {
  publicClient: PublicClient;
  rpcUrl: string;
  deployment: Deployment;
  deploymentFile: string;
  workerUrl: string;
  listings: DemoListings;
  stop(): Promise<void>;
}

/** MODELBAZAAR_DEMO_RPC_PORT if set (checked), else a free port. */
async function rpcPortFromEnv(): Promise<number> {
  const text = process.env.MODELBAZAAR_DEMO_RPC_PORT;
  if (text === undefined || text === "") return freePort();
  const port = Number(text);
  if (!Number.isInteger(port) || port <= 0 || port > 65_535) throw new Error(`MODELBAZAAR_DEMO_RPC_PORT must be a TCP port, got "${text}"`);
  return port;
}

export async function startDemoStack(log: (line: string) => void): Promise<DemoStack> {
  const rpcPort = await rpcPortFromEnv();
  const tempDir = mkdtempSync(join(tmpdir(), "modelbazaar-demo-"));
  const deploymentId = `demo-${process.pid}-${rpcPort}`;
  const journal = join("ignition", "deployments", deploymentId);
  let node: LocalNode | undefined;
  let worker: WorkerHandle | undefined;
  const stop = async () => {
    await worker?.close();
    await node?.stop();
    rmSync(journal, { recursive: true, force: true });
    rmSync(tempDir, { recursive: true, force: true });
  };
  try {
    node = await startLocalNode(rpcPort);
    log(`local chain at ${node.url}`);
    const connection = await network.create({ network: "localhost", override: { url: node.url } });
    const publicClient = createPublicClient({ transport: http(node.url) }) as PublicClient;
    const startBlock = await publicClient.getBlockNumber();
    const { registry, market } = await connection.ignition.deploy(ModelBazaarModule, { deploymentId });
    const deployment: Deployment = { chainId: await publicClient.getChainId(), registry: registry.address, market: market.address, startBlock };
    const deploymentFile = join(tempDir, `${deployment.chainId}.json`);
    writeFileSync(deploymentFile, `${JSON.stringify({ ...deployment, startBlock: startBlock.toString() }, null, 2)}\n`);
    log(`deployed ModelBazaar (market ${deployment.market}); record in ${deploymentFile}`);
    const workerPort = await freePort();
    const workerUrl = `http://127.0.0.1:${workerPort}`;
    const listings = await listDemoModels(node.url, publicClient, deployment, workerUrl);
    const served = Object.values(listings).map((listingId) => ({ listingId, modelId: "iris-logreg" }));
    worker = await startWorker({
      rpcUrl: node.url,
      market: deployment.market,
      registry: deployment.registry,
      signerKey: devAccountKey(ROLES.workerSigner),
      dataDir: join(tempDir, "worker"),
      port: workerPort,
      listings: served,
      evaluator: demoEvaluator(served),
      logLevel: false,
    });
    log(`CKKS worker at ${worker.url} serving listings ${served.map((s) => `#${s.listingId}`).join(", ")}`);
    return { publicClient, rpcUrl: node.url, deployment, deploymentFile, workerUrl: worker.url, listings, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The seller's honest listing of iris-logreg (claim = its card accuracy), the same file with an
 * inflated claim, the same file for auction, and the cheating seller's fixed-price listing.
 */
async function listDemoModels(rpcUrl: string, publicClient: PublicClient, deployment: Deployment, workerUrl: string): Promise<DemoListings> {
  const workerSigner = privateKeyToAccount(devAccountKey(ROLES.workerSigner)).address;
  const [terms, offer] = demoListing("iris-logreg", { workerEndpoint: workerUrl, workerSigner, price: FIXED_PRICE });
  const list = async (account: number, listing: readonly [typeof terms, typeof offer]) => {
    const walletClient = createWalletClient({ account: privateKeyToAccount(devAccountKey(account)), transport: http(rpcUrl) });
    const hash = await walletClient.writeContract({ address: deployment.registry, abi: modelRegistryAbi, functionName: "list", args: listing, chain: null });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    const [event] = parseEventLogs({ abi: modelRegistryAbi, logs: receipt.logs, eventName: "ListingCreated" });
    if (!event) throw new Error("listing emitted no ListingCreated event");
    return event.args.listingId;
  };
  return {
    good: await list(ROLES.seller, [terms, offer]),
    bad: await list(ROLES.seller, [{ ...terms, claimedAccuracyBps: INFLATED_CLAIM_BPS }, offer]),
    auctioned: await list(ROLES.seller, [terms, { ...offer, saleMode: SALE_MODES.auction, price: 0n }]),
    cheated: await list(ROLES.cheater, [terms, offer]),
  };
}
