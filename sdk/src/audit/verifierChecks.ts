/**
 * Checks of the market's dispute verifier, against the verification keys the audit trusts:
 * the market calls the verifier the deployment record names; that verifier is a
 * DisputeVerifierRouter whose dispatch (digest-only sizes, feature circuit bounds) is the
 * one disputeCircuits.ts mirrors; and each verifier it dispatches to embeds the key of its
 * circuit (snarkjs's verifier template inlines every key coordinate as a constant, so each
 * appears in the deployed bytecode as a 32-byte word). A market deployed over a verifier that
 * accepts anything fails here, before any refund is looked at.
 */
import type { Groth16VerificationKey } from "snarkjs";
import { isAddressEqual, zeroAddress, type Address, type PublicClient } from "viem";
import type { Deployment } from "../client/deployment.ts";
import { disputeVerifierRouterAbi as routerAbi, modelMarketAbi } from "../generated/abis.ts";
import type { DisputeCircuitKeys } from "./disputeCircuits.ts";
import { finding, type AuditFinding } from "./findings.ts";

export async function checkVerifier(client: PublicClient, deployment: Deployment, keys: DisputeCircuitKeys, blockNumber: bigint): Promise<AuditFinding[]> {
  const subject = `verifier ${deployment.disputeVerifier}`;
  const used = await client.readContract({ address: deployment.market, abi: modelMarketAbi, functionName: "disputeVerifier", blockNumber });
  const out = [finding("verifier.deployment", subject, isAddressEqual(used, deployment.disputeVerifier), `the market calls ${used}`)];
  let sizes: readonly number[];
  let verifiers: readonly Address[];
  let feature: { maxSamples: number; maxFeatures: number; maxFeatureBits: number; verifier: Address };
  try {
    [sizes, verifiers] = await client.readContract({ address: used, abi: routerAbi, functionName: "circuits", blockNumber });
    feature = await client.readContract({ address: used, abi: routerAbi, functionName: "featureCircuit", blockNumber });
  } catch {
    out.push(finding("verifier.router", subject, false, `the market's dispute verifier ${used} is not a DisputeVerifierRouter, so nothing ties its answers to the audited circuits`));
    return out;
  }
  const expectedSizes = [...keys.digestOnly].map((c) => c.size).sort((a, b) => a - b);
  const f = keys.featureCircuit;
  const sameFeature = f === undefined ? isAddressEqual(feature.verifier, zeroAddress) : feature.maxSamples === f.maxSamples && feature.maxFeatures === f.maxFeatures && feature.maxFeatureBits === f.maxFeatureBits;
  const sameSizes = sizes.join(",") === expectedSizes.join(",");
  out.push(
    finding(
      "verifier.router",
      subject,
      sameSizes && sameFeature,
      `digest-only sizes [${sizes.join(", ")}] (audited: [${expectedSizes.join(", ")}]), feature circuit ${feature.maxSamples} samples x ${feature.maxFeatures} features of ${feature.maxFeatureBits} bits` +
        (f ? ` (audited: ${f.maxSamples} x ${f.maxFeatures} of ${f.maxFeatureBits})` : " (no feature circuit audited)"),
    ),
  );
  for (const [i, size] of sizes.entries()) {
    const key = keys.digestOnly.find((c) => c.size === size)?.vkey;
    out.push(await embedsKey(client, verifiers[i]!, `dispute_${size}`, key, blockNumber));
  }
  if (f) out.push(await embedsKey(client, feature.verifier, `dispute_${f.maxSamples}_f${f.maxFeatures}`, f.vkey, blockNumber));
  return out;
}

async function embedsKey(client: PublicClient, verifier: Address, circuit: string, vkey: Groth16VerificationKey | undefined, blockNumber: bigint): Promise<AuditFinding> {
  const subject = `verifier ${verifier}`;
  if (!vkey) return finding("verifier.key", subject, false, `no verification key of ${circuit} was given, so its verifier cannot be checked`);
  const code = (await client.getCode({ address: verifier, blockNumber }))?.toLowerCase() ?? "0x";
  const missing = keyWords(vkey).filter((word) => !code.includes(word));
  return finding(
    "verifier.key",
    subject,
    missing.length === 0,
    missing.length === 0 ? `embeds every coordinate of ${circuit}'s verification key` : `lacks ${missing.length} coordinates of ${circuit}'s verification key: it is not ${circuit}'s verifier`,
  );
}

/** Every coordinate of a key's points (alpha, beta, gamma, delta, IC) as a 64-digit hex word. */
function keyWords(vkey: Groth16VerificationKey): string[] {
  const points = ["vk_alpha_1", "vk_beta_2", "vk_gamma_2", "vk_delta_2", "IC"].map((name) => vkey[name]);
  const numbers = (value: unknown): string[] => (Array.isArray(value) ? value.flatMap(numbers) : typeof value === "string" ? [value] : []);
  return points
    .flatMap(numbers)
    .map(BigInt)
    .filter((n) => n > 1n) // the projective "1" and "0" coordinates are not constants of the contract
    .map((n) => n.toString(16).padStart(64, "0"));
}
