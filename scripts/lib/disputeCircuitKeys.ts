/**
 * The verification keys of the refund dispute's circuits the deployment ships, read from the
 * checked-in setup (circuits/artifacts/<circuit>/verification_key.json) for the sample sizes
 * and contest circuits of ignition/modules/RefundDisputeCircuits.ts: what `bazaar audit` trusts
 * to re-verify refunds. A key that is missing is left out (its disputes are reported as not
 * re-verifiable), never guessed.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Groth16VerificationKey } from "snarkjs";
import { REFUND_SAMPLE_SIZES } from "../../ignition/modules/RefundDisputeCircuits.ts";
import { refundDisputeKeys, type RefundDisputeKeys } from "@modelbazaar/sdk/audit";

export const DEFAULT_ARTIFACTS_DIR = fileURLToPath(new URL("../../circuits/artifacts/", import.meta.url));

export function loadDisputeCircuitKeys(artifactsDir: string = DEFAULT_ARTIFACTS_DIR): RefundDisputeKeys {
  return refundDisputeKeys((name) => readKey(artifactsDir, name), REFUND_SAMPLE_SIZES);
}

/** A circuit's key, refused unless it is a Groth16 key. */
function readKey(dir: string, circuit: string): Groth16VerificationKey | undefined {
  const file = join(dir, circuit, "verification_key.json");
  if (!existsSync(file)) return undefined;
  const key = JSON.parse(readFileSync(file, "utf8")) as Groth16VerificationKey;
  if (key.protocol !== "groth16") throw new Error(`${file} is not the Groth16 key of ${circuit}`);
  return key;
}
