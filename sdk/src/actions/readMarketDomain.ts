/**
 * The market's own EIP-712 domain, read from its `eip712Domain()` (EIP-5267), so it always
 * matches the deployment: the domain of the worker's EvaluationReceipt and CopyReceipt
 * (docs/PROTOCOL.md §7.2).
 */
import type { Address, PublicClient, TypedDataDomain } from "viem";
import { modelMarketAbi } from "../generated/abis.ts";

export interface ReadMarketDomainParameters {
  readonly market: Address;
}

/**
 * @example
 * const domain = await readMarketDomain(publicClient, { market: deployment.market });
 */
export async function readMarketDomain(client: PublicClient, { market }: ReadMarketDomainParameters): Promise<TypedDataDomain> {
  const [, name, version, chainId, verifyingContract] = await client.readContract({ address: market, abi: modelMarketAbi, functionName: "eip712Domain" });
  return { name, version, chainId: Number(chainId), verifyingContract };
}
