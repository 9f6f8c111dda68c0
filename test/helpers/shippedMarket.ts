/**
 * Deploys the market over the dispute verifiers that ship (ignition/modules/DisputeVerifier.ts:
 * the digest-only Groth16 verifiers and the feature circuit's behind DisputeVerifierRouter; and
 * ignition/modules/RefundDisputeCircuits.ts: the v2 refund, opening and contest verifiers)
 * on any Hardhat connection, in-process or over HTTP, and returns the contracts with the
 * deployment record `bazaar audit` reads. Unlike scripts/lib/deploy.ts it writes no file.
 */
import type { Address } from "viem";
import { DISPUTE_CIRCUIT_SIZES, DISPUTE_FEATURE_CIRCUIT } from "../../ignition/modules/DisputeVerifier.ts";
import { refundDisputeCircuits } from "../../ignition/modules/RefundDisputeCircuits.ts";
import { DEFAULT_DISPUTE_WINDOWS } from "../../scripts/lib/disputesConfig.ts";
import type { Deployment } from "../../sdk/src/client/deployment.ts";
import type { connectMarket } from "./market.ts";
import { WINDOWS } from "./market.ts";

type Viem = Awaited<ReturnType<typeof connectMarket>>["viem"];

export async function deployShippedMarket(viem: Viem, owner: Address) {
  const publicClient = await viem.getPublicClient();
  const startBlock = await publicClient.getBlockNumber();
  const registry = await viem.deployContract("ModelRegistry", [owner]);
  const sizeVerifiers: Address[] = [];
  for (const size of DISPUTE_CIRCUIT_SIZES) sizeVerifiers.push((await viem.deployContract(`DisputeVerifier${size}`)).address);
  const { size, features, featureBits } = DISPUTE_FEATURE_CIRCUIT;
  const featureVerifier = await viem.deployContract(`DisputeVerifier${size}F${features}`);
  const router = await viem.deployContract("DisputeVerifierRouter", [
    [...DISPUTE_CIRCUIT_SIZES],
    sizeVerifiers,
    { maxSamples: size, maxFeatures: features, maxFeatureBits: featureBits, verifier: featureVerifier.address },
  ]);
  const circuits = refundDisputeCircuits(async (contract) => (await viem.deployContract(contract)).address);
  const disputes = {
    sampleCircuits: await Promise.all(circuits.sampleCircuits.map(async (c) => ({ ...c, refundVerifier: await c.refundVerifier, openVerifier: await c.openVerifier }))),
    contestCircuits: await Promise.all(circuits.contestCircuits.map(async (c) => ({ ...c, verifier: await c.verifier }))),
    ...DEFAULT_DISPUTE_WINDOWS,
  };
  const market = await viem.deployContract("ModelMarket", [registry.address, router.address, WINDOWS, disputes]);
  const chainId = await publicClient.getChainId();
  const deployment: Deployment = { chainId, registry: registry.address, market: market.address, disputeVerifier: router.address, startBlock };
  return { registry, market, deployment };
}
