/**
 * Checks of the refund dispute's verifiers, against the verification keys the audit trusts:
 * the market's `RefundDisputes` proves each audited sample size with the Refund and Open
 * verifiers of that size (`verifier.disputes`), those verifiers and the contest verifier of
 * every contestable listing embed the audited keys (`verifier.dispute-key`: snarkjs's verifier
 * template inlines every key coordinate as a constant, so each appears in the deployed
 * bytecode), and it proves no test-drive larger than the audited circuits hold. A market whose
 * disputes run over a verifier that accepts anything fails here, before any refund is looked at.
 */
import type { Groth16VerificationKey } from "snarkjs";
import type { Address, PublicClient } from "viem";
import { refundDisputesAbi } from "../generated/abis.ts";
import { contestCircuitsFor, type RefundDisputeKeys } from "./disputeCircuits.ts";
import { finding, type AuditFinding } from "./findings.ts";
import type { MarketTrail } from "./marketTrail.ts";
import type { ContestCircuitOnChain } from "./refundDisputeProofs.ts";

/**
 * The dispute verifiers of `RefundDisputes` at `disputes`, against `keys`; nothing when the
 * market has no `RefundDisputes` or the audit was given no keys (its disputes then fail their
 * own checks as not re-verifiable).
 */
export async function checkRefundDisputeVerifiers(
  client: PublicClient,
  disputes: Address | undefined,
  keys: RefundDisputeKeys | undefined,
  trail: MarketTrail,
  contestCircuit: (listingId: bigint) => Promise<ContestCircuitOnChain | undefined>,
  blockNumber: bigint,
): Promise<AuditFinding[]> {
  if (!disputes || !keys) return [];
  const subject = `disputes ${disputes}`;
  const out: AuditFinding[] = [];
  for (const { size, refund, open } of keys.sampleCircuits) {
    let circuits: { maxSamples: number; refundVerifier: Address; openVerifier: Address };
    try {
      circuits = await client.readContract({ address: disputes, abi: refundDisputesAbi, functionName: "sampleCircuitsFor", args: [size], blockNumber });
    } catch {
      out.push(finding("verifier.disputes", subject, false, `RefundDisputes proves no test-drive of ${size} samples, which the audited refund_${size} and open_${size} hold`));
      continue;
    }
    const same = circuits.maxSamples === size;
    out.push(finding("verifier.disputes", subject, same, same ? `proves test-drives of up to ${size} samples with refund_${size} and open_${size}` : `proves test-drives of ${size} samples with circuits of ${circuits.maxSamples}, the audited ones hold ${size}`));
    out.push(await embedsKey(client, circuits.refundVerifier, `refund_${size}`, refund, blockNumber));
    out.push(await embedsKey(client, circuits.openVerifier, `open_${size}`, open, blockNumber));
  }
  const audited = Math.max(0, ...keys.sampleCircuits.map((c) => c.size));
  try {
    const max = await client.readContract({ address: disputes, abi: refundDisputesAbi, functionName: "maxSampleCount", blockNumber });
    out.push(finding("verifier.disputes", subject, max <= audited, `proves test-drives of up to ${max} samples; the audited circuits hold up to ${audited}`));
  } catch {
    out.push(finding("verifier.disputes", subject, false, "RefundDisputes does not say how many samples it proves (maxSampleCount)"));
  }
  const seen = new Set<string>();
  for (const listing of trail.listings.values()) {
    if (listing.terms.disputePolicy.planFamily === 0) continue;
    const onChain = await contestCircuit(listing.listingId);
    if (!onChain || onChain.family === 0 || seen.has(onChain.verifier.toLowerCase())) continue;
    seen.add(onChain.verifier.toLowerCase());
    const candidates = contestCircuitsFor(keys, { family: onChain.family as 1 | 2, features: onChain.features, classes: onChain.classes });
    const names = candidates.circuits.join(" or ") || `a contest circuit of family ${onChain.family}, ${onChain.features} features and ${onChain.classes} classes`;
    if (candidates.keys.length === 0) {
      out.push(finding("verifier.dispute-key", `verifier ${onChain.verifier}`, false, `no verification key of ${names} was given, so the contest verifier of listing ${listing.listingId} cannot be checked`));
      continue;
    }
    const results = await Promise.all(candidates.keys.map((c) => embedsKey(client, onChain.verifier, c.circuit, c.vkey, blockNumber)));
    out.push(results.find((r) => r.ok) ?? results[0]!);
  }
  return out;
}

async function embedsKey(client: PublicClient, verifier: Address, circuit: string, vkey: Groth16VerificationKey | undefined, blockNumber: bigint): Promise<AuditFinding> {
  const check = "verifier.dispute-key";
  const subject = `verifier ${verifier}`;
  if (!vkey) return finding(check, subject, false, `no verification key of ${circuit} was given, so its verifier cannot be checked`);
  const code = (await client.getCode({ address: verifier, blockNumber }))?.toLowerCase() ?? "0x";
  const missing = keyWords(vkey).filter((word) => !code.includes(word));
  return finding(
    check,
    subject,
    missing.length === 0,
    missing.length === 0 ? `embeds every coordinate of ${circuit}'s verification key` : `lacks ${missing.length} coordinates of ${circuit}'s verification key: it is not ${circuit}'s verifier`,
  );
}

/**
 * Every coordinate of a key's points (alpha, beta, gamma, delta, IC) as the hex of its
 * big-endian bytes without leading zero bytes: the compiler pushes a constant below 2^248 with
 * a shorter PUSH (PUSH31 for one leading zero byte), so the 32-byte word would not appear.
 */
function keyWords(vkey: Groth16VerificationKey): string[] {
  const points = ["vk_alpha_1", "vk_beta_2", "vk_gamma_2", "vk_delta_2", "IC"].map((name) => vkey[name]);
  const numbers = (value: unknown): string[] => (Array.isArray(value) ? value.flatMap(numbers) : typeof value === "string" ? [value] : []);
  return points
    .flatMap(numbers)
    .map(BigInt)
    .filter((n) => n > 1n) // the projective "1" and "0" coordinates are not constants of the contract
    .map((n) => {
      const hex = n.toString(16);
      return hex.length % 2 === 0 ? hex : `0${hex}`;
    });
}
