/**
 * Deploys ModelBazaar with Hardhat Ignition over a network connection and records the
 * addresses in deployments/<chainId>.json (what `bazaar audit`, the app and the worker read).
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import type { NetworkConnection } from "hardhat/types/network";
import ModelBazaarModule from "../../ignition/modules/ModelBazaar.ts";

export interface Deployment {
  chainId: number;
  registry: `0x${string}`;
  market: `0x${string}`;
  startBlock: string;
}

export async function deployModelBazaar(connection: NetworkConnection, options: { fresh: boolean }) {
  const publicClient = await connection.viem.getPublicClient();
  const chainId = await publicClient.getChainId();
  // A fresh local node has none of the contracts an earlier run recorded for chain 31337.
  if (options.fresh) rmSync(`ignition/deployments/chain-${chainId}`, { recursive: true, force: true });
  const startBlock = await publicClient.getBlockNumber();
  const { registry, market } = await connection.ignition.deploy(ModelBazaarModule);
  const deployment: Deployment = {
    chainId,
    registry: registry.address,
    market: market.address,
    startBlock: startBlock.toString(),
  };
  mkdirSync("deployments", { recursive: true });
  writeFileSync(`deployments/${chainId}.json`, `${JSON.stringify(deployment, null, 2)}\n`);
  return { deployment, registry, market };
}
