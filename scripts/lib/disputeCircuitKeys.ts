/**
 * The verification keys of the dispute circuits the deployment ships, read from the checked-in
 * setup (circuits/artifacts/<circuit>/verification_key.json) with the dispatch bounds of
 * ignition/modules/DisputeVerifier.ts (v1) and RefundDisputeCircuits.ts (the v2 refund, opening
 * and contest circuits): what `bazaar audit` trusts to re-verify refunds. A key that is missing
 * is left out (its disputes are reported as not re-verifiable), never guessed.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Groth16VerificationKey } from "snarkjs";
import { DISPUTE_CIRCUIT_SIZES, DISPUTE_FEATURE_CIRCUIT } from "../../ignition/modules/DisputeVerifier.ts";
import { REFUND_SAMPLE_SIZES } from "../../ignition/modules/RefundDisputeCircuits.ts";
import { refundDisputeKeys, type DisputeCircuitKeys } from "../../sdk/src/audit/index.ts";

export const DEFAULT_ARTIFACTS_DIR = fileURLToPath(new URL("../../circuits/artifacts/", import.meta.url));

export function loadDisputeCircuitKeys(artifactsDir: string = DEFAULT_ARTIFACTS_DIR): DisputeCircuitKeys {
  const { size, features, featureBits } = DISPUTE_FEATURE_CIRCUIT;
  return {
    digestOnly: DISPUTE_CIRCUIT_SIZES.map((n) => ({ size: n, vkey: readKey(artifactsDir, `dispute_${n}`, 2) })),
    featureCircuit: { maxSamples: size, maxFeatures: features, maxFeatureBits: featureBits, vkey: readKey(artifactsDir, `dispute_${size}_f${features}`, 2) },
    refundDisputes: refundDisputeKeys((name) => readKey(artifactsDir, name), REFUND_SAMPLE_SIZES),
  };
}

/** A circuit's key; with `publicSignals`, refused unless it has exactly that many (the v1 circuits' 2). */
function readKey(dir: string, circuit: string, publicSignals?: number): Groth16VerificationKey | undefined {
  const file = join(dir, circuit, "verification_key.json");
  if (!existsSync(file)) return undefined;
  const key = JSON.parse(readFileSync(file, "utf8")) as Groth16VerificationKey;
  if (key.protocol !== "groth16" || (publicSignals !== undefined && key.nPublic !== publicSignals)) {
    throw new Error(`${file} is not the Groth16 key of ${circuit}${publicSignals === undefined ? "" : ` (${publicSignals} public signals)`}`);
  }
  return key;
}
