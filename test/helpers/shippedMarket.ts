/**
 * Deploys the market over the dispute verifiers that ship (ignition/modules/RefundDisputeCircuits.ts:
 * the refund, opening and contest verifiers) on any Hardhat connection, in-process or over HTTP, and returns the contracts with the
 * deployment record `bazaar audit` reads. Unlike scripts/lib/deploy.ts it writes no file.
 */
import type { Address } from "viem";
import { refundDisputeCircuits } from "../../ignition/modules/RefundDisputeCircuits.ts";
import { DEFAULT_DISPUTE_WINDOWS } from "../../scripts/lib/disputesConfig.ts";
import type { Deployment } from "@modelbazaar/sdk/client";
import type { connectMarket } from "./market.ts";
import { WINDOWS } from "./market.ts";

type Viem = Awaited<ReturnType<typeof connectMarket>>["viem"];

export async function deployShippedMarket(viem: Viem, owner: Address) {
  const publicClient = await viem.getPublicClient();
  const startBlock = await publicClient.getBlockNumber();
  const registry = await viem.deployContract("ModelRegistry", [owner]);
  const circuits = refundDisputeCircuits(async (contract) => (await viem.deployContract(contract)).address);
  const disputes = {
    sampleCircuits: await Promise.all(circuits.sampleCircuits.map(async (c) => ({ ...c, refundVerifier: await c.refundVerifier, openVerifier: await c.openVerifier }))),
    contestCircuits: await Promise.all(circuits.contestCircuits.map(async (c) => ({ ...c, verifier: await c.verifier }))),
    ...DEFAULT_DISPUTE_WINDOWS,
  };
  const market = await viem.deployContract("ModelMarket", [registry.address, WINDOWS, disputes]);
  const chainId = await publicClient.getChainId();
  const deployment: Deployment = { chainId, registry: registry.address, market: market.address, startBlock };
  return { registry, market, deployment };
}
