/**
 * What a test-drive will move, told to the buyer before anything is staked: the upload (one
 * ciphertext per feature per batch, plus relinearization keys), how many batches the worker
 * evaluates one after another, and the result, from the listing's plan summary alone
 * (sdk/src/he/wireSizes.ts). `bazaar test-drive` prints it before its first transaction.
 */
import type { TestDriveTraffic } from "../../sdk/src/he/wireSizes.ts";
import { formatBytes } from "./costText.ts";

export function formatTestDriveTraffic(traffic: TestDriveTraffic, samples: number): string {
  const { batches, slots, ciphertexts, relinKeyBytes, uploadBytes, resultBytes } = traffic;
  const keys = relinKeyBytes > 0 ? ` and ${formatBytes(relinKeyBytes)} of relinearization keys` : "";
  return [
    `this test-drive uploads ${formatBytes(uploadBytes)}: ${samples} samples fill ${batches} batch${batches === 1 ? "" : "es"} of ${slots} slots, ${ciphertexts} ciphertexts${keys};`,
    `the worker evaluates the ${batches === 1 ? "batch" : `${batches} batches one after another`} (a batch costs the same however few samples it holds: \`bazaar model check\` on the model prices one) and returns ${formatBytes(resultBytes)}`,
  ].join(" ");
}
