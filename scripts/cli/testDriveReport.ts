/**
 * How `bazaar test-drive` prints its outcome for a person: the accuracy against the seller's
 * claim, the confusion matrix (rows: true class, columns: predicted), the receipt check, the
 * timings and the buyer's options (buy, dispute, walk away).
 */
import { formatEther } from "viem";
import { formatBps, type KeptCopyReceipt } from "@modelbazaar/sdk/testDrives";

export interface TestDriveOutcome {
  readonly testId: bigint;
  readonly listingId: bigint;
  readonly sampleCount: number;
  readonly correct: number;
  readonly accuracyBps: number;
  readonly claimedAccuracyBps: number;
  /** The model's name (the listing's model card, or its URI). */
  readonly modelName?: string;
  /** The classes' names, index by index, when the listing's model card gives them. */
  readonly classNames?: readonly string[];
  readonly confusionMatrix: readonly (readonly number[])[];
  readonly resultHash: string;
  /** Who recorded the on-chain receipt: the worker, or the buyer with the worker's signature. */
  readonly receiptRecordedBy: "worker" | "buyer";
  /** When the worker evaluated your own fingerprinted copy: its checked CopyReceipt, as kept. */
  readonly copyReceipt?: KeptCopyReceipt;
  readonly deposit: bigint;
  readonly disputeDeadline?: string;
  readonly timingsMs: Readonly<Record<string, number>>;
  readonly options: readonly string[];
}

/** Longest class name a matrix header shows (longer ones are cut with an ellipsis). */
const NAME_WIDTH = 14;

/**
 * The matrix as an aligned table with row and column headers: rows `<index> <name>` (or
 * `class <index>`), columns the class names (or `c<index>`).
 */
export function formatConfusionMatrix(matrix: readonly (readonly number[])[], classNames?: readonly string[]): string {
  const names = classNames?.length === matrix.length ? classNames.map((n) => (n.length > NAME_WIDTH ? `${n.slice(0, NAME_WIDTH - 1)}…` : n).replace(/\s+/g, "_")) : undefined;
  const columns = matrix.map((_, j) => names?.[j] ?? `c${j}`);
  const rowLabels = matrix.map((_, i) => (names ? `${i} ${names[i]}` : `class ${i}`));
  const width = Math.max(4, ...matrix.flat().map((n) => String(n).length), ...columns.map((c) => c.length)) + 1;
  const first = Math.max(18, ...rowLabels.map((l) => l.length + 2));
  const cell = (text: string) => text.padStart(width);
  const header = `${"true \\ predicted".padEnd(first)}${columns.map(cell).join("")}`;
  const rows = matrix.map((row, i) => `${rowLabels[i]!.padEnd(first)}${row.map((n) => cell(String(n))).join("")}`);
  return [header, ...rows].join("\n");
}

/** The buyer's options after a test-drive, one line each. */
export function buyerOptions(testId: bigint, listingId: bigint, accuracyBps: number, claimedAccuracyBps: number, deadline?: string): string[] {
  const until = deadline ? ` until ${deadline}` : "";
  const options = [`buy: \`bazaar buy ${listingId} --test ${testId}\` (the deposit pays part of the price)`];
  if (accuracyBps < claimedAccuracyBps) options.push(`dispute: \`bazaar dispute ${testId}\`${until} proves the model is worse than claimed and refunds the deposit less the fee of the free samples (a refund pays the seller for every sample)`);
  options.push(`walk away: the deposit goes to the seller after the dispute window${accuracyBps < claimedAccuracyBps ? "" : " (the model met its claim, so an honest dispute has nothing to prove)"}`);
  return options;
}

export function formatTestDrive(o: TestDriveOutcome): string {
  const verdict = o.accuracyBps < o.claimedAccuracyBps ? "below the seller's claim" : "meets the seller's claim";
  const seconds = (ms: number | undefined) => `${((ms ?? 0) / 1000).toFixed(2)} s`;
  return [
    `test-drive ${o.testId} of listing ${o.listingId}${o.modelName ? ` (${o.modelName})` : ""}: ${o.sampleCount} samples evaluated under CKKS`,
    `accuracy ${formatBps(o.accuracyBps)} (${o.correct}/${o.sampleCount}) vs claimed ${formatBps(o.claimedAccuracyBps)}: ${verdict}`,
    "",
    formatConfusionMatrix(o.confusionMatrix, o.classNames),
    "",
    `receipt: on-chain result hash ${o.resultHash} equals keccak256 of the result decrypted (recorded by the ${o.receiptRecordedBy})`,
    ...(o.copyReceipt
      ? [`copy: evaluated with your own copy of the model (root ${o.copyReceipt.copyRoot}, ${o.copyReceipt.copySize} bytes), signed by the listing's worker and kept for a purchase that delivers this copy (docs/PROTOCOL.md §7.2)`]
      : []),
    `times: encrypt ${seconds(o.timingsMs.encrypt)}, upload ${seconds(o.timingsMs.upload)}, worker ${seconds(o.timingsMs.wait)}, decrypt ${seconds(o.timingsMs.decrypt)}, total ${seconds(o.timingsMs.total)}`,
    `your options (deposit ${formatEther(o.deposit)} ETH):`,
    ...o.options.map((line) => `  - ${line}`),
  ].join("\n");
}
