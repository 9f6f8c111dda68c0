/**
 * What a test-drive will cost, told to the buyer before anything is staked
 * (sdk/src/testDrives/testDriveEstimate.ts): the ether (deposit + fee), the upload (one
 * ciphertext per feature per batch, plus relinearization keys) and the result, the batch count,
 * and the expected wait from the speed the listing's worker publishes ("unknown" when it
 * publishes none). `bazaar test-drive` prints it, then asks before its first transaction.
 */
import { formatEther } from "viem";
import type { TestDriveEstimate } from "@modelbazaar/sdk/testDrives";
import { byteText, durationText } from "@modelbazaar/sdk/labels";

export function formatTestDriveEstimate(e: TestDriveEstimate, listingId: bigint): string {
  const batches = `${e.batches} batch${e.batches === 1 ? "" : "es"}`;
  const keys = e.relinKeyBytes > 0 ? ` and ${byteText(e.relinKeyBytes)} of relinearization keys` : "";
  const wait =
    e.waitSeconds === undefined
      ? "expected wait for the evaluation: unknown (the listing's worker publishes no evaluation speed; `bazaar model check` on the model prices a batch)"
      : `expected wait for the evaluation: about ${durationText(e.waitSeconds)} (${batches} one after another at ${durationText(e.waitSeconds / e.batches)} each, the worker's own measure; longer if its machine is busy or other jobs queue)`;
  return [
    `test-drive of ${e.samples} samples on listing ${listingId}: ${formatEther(e.totalWei)} ETH (deposit ${formatEther(e.deposit)} ETH + fee ${formatEther(e.fee)} ETH)`,
    `upload ${byteText(e.uploadBytes)}: ${e.samples} samples fill ${batches} of ${e.slots} slots (a batch costs the same however few samples it holds), ${e.ciphertexts} ciphertexts${keys}; result ${byteText(e.resultBytes)}`,
    wait,
  ].join("\n");
}
