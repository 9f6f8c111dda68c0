/**
 * Which dispute circuit must prove a test-drive's refund: the one the market's verifier
 * (DisputeVerifierRouter) will send the proof to. The router decides from the sample count and
 * the listing's feature count and width (`verifierFor`): listings with at most the feature
 * circuit's `maxFeatures` features go to the feature circuit (dispute_<N>_f<F>, ranges checked
 * in-circuit), the others to the smallest digest-only circuit (dispute_<N>) holding the
 * samples. Asking the router itself keeps the client from ever guessing differently.
 */
import { isAddressEqual, zeroAddress, type Address, type PublicClient } from "viem";
import { disputeVerifierRouterAbi as routerAbi } from "../generated/abis.ts";

/** A dispute circuit: its artifacts are circuits/artifacts/<name>/<name>.wasm and .zkey. */
export interface DisputeCircuit {
  /** dispute_<N> or dispute_<N>_f<F>. */
  readonly name: string;
  /** N: the most samples it holds. */
  readonly size: number;
  /** F, for a feature circuit: the feature columns it holds. */
  readonly features?: number;
  readonly verifier: Address;
}

/** No circuit of the market's verifier can prove this dispute. */
export class NoDisputeCircuitError extends Error {
  override readonly name = "NoDisputeCircuitError";
}

export interface DisputeCircuitForParameters {
  /** The market's dispute verifier (the deployment's `disputeVerifier`). */
  readonly verifier: Address;
  readonly sampleCount: number;
  readonly featureCount: number;
  readonly featureBits: number;
}

export async function disputeCircuitFor(client: PublicClient, { verifier, sampleCount, featureCount, featureBits }: DisputeCircuitForParameters): Promise<DisputeCircuit> {
  const [chosen, feature, [sizes, verifiers]] = await Promise.all([
    client.readContract({ address: verifier, abi: routerAbi, functionName: "verifierFor", args: [BigInt(sampleCount), BigInt(featureCount), BigInt(featureBits)] }),
    client.readContract({ address: verifier, abi: routerAbi, functionName: "featureCircuit" }),
    client.readContract({ address: verifier, abi: routerAbi, functionName: "circuits" }),
  ]);
  if (isAddressEqual(chosen, zeroAddress)) {
    throw new NoDisputeCircuitError(`no dispute circuit proves ${sampleCount} samples of ${featureCount} features of ${featureBits} bits`);
  }
  if (isAddressEqual(chosen, feature.verifier)) {
    return { name: `dispute_${feature.maxSamples}_f${feature.maxFeatures}`, size: feature.maxSamples, features: feature.maxFeatures, verifier: chosen };
  }
  const index = verifiers.findIndex((v) => isAddressEqual(v, chosen));
  if (index < 0) throw new NoDisputeCircuitError(`the dispute verifier chose ${chosen}, which is none of its circuits`);
  return { name: `dispute_${sizes[index]}`, size: sizes[index]!, verifier: chosen };
}
