/**
 * The decrypted result against the seller's claim: the accuracy, the verdict, the buyer's own
 * copy it was evaluated with once the worker's CopyReceipt is kept (docs/PROTOCOL.md §7.2) and
 * the confusion matrix.
 */
import { confusionMatrix } from "@modelbazaar/sdk/he";
import { formatBps } from "@modelbazaar/sdk/testDrives";
import type { BrowserKeptTestDrive } from "../../../testDrive/keptTestDrive.ts";
import { ConfusionMatrix } from "./ConfusionMatrix.tsx";

export function AccuracyReport({ record }: { record: BrowserKeptTestDrive }) {
  const predictions = record.predictions ?? [];
  const correct = predictions.filter((p, i) => p === record.labels[i]).length;
  const accuracyBps = Math.floor((correct * 10_000) / record.sampleCount);
  const below = accuracyBps < record.claimedAccuracyBps;
  const matrix = confusionMatrix(
    predictions.map((p) => (p < record.classCount ? p : 0)),
    record.labels,
    record.classCount,
  );
  return (
    <section aria-labelledby="report-title" className="flex flex-col gap-4" data-testid="accuracy-report">
      <h3 id="report-title" className="text-lg font-semibold">
        Test-drive #{record.testId}: the result, decrypted in this browser
      </h3>
      <div className="grid gap-3 sm:grid-cols-2">
        <Meter label="measured on your data" bps={accuracyBps} detail={`${correct} of ${record.sampleCount} correct`} tone={below ? "progress-error" : "progress-success"} testId="measured-accuracy" />
        <Meter label="claimed by the seller" bps={record.claimedAccuracyBps} detail="the listing's claim" tone="progress-primary" />
      </div>
      <p role="status" className={`alert ${below ? "alert-warning" : "alert-success"} alert-soft text-base-content`} data-testid="verdict">
        {below
          ? `The model scored ${formatBps(accuracyBps)} on your test set, below its claim of ${formatBps(record.claimedAccuracyBps)}: you may claim a refund by proof.`
          : "The model met its claim on your test set."}
      </p>
      {record.copyReceipt ? (
        <p className="text-sm break-all" data-testid="tested-copy">
          Evaluated with your own copy of the model (root <code>{record.copyReceipt.copyRoot}</code>, {record.copyReceipt.copySize} bytes), signed by the listing's worker and kept in
          this browser: a purchase of this listing that delivers this copy can be accepted.
        </p>
      ) : null}
      <ConfusionMatrix matrix={matrix} classNames={record.classNames} />
    </section>
  );
}

function Meter({ label, bps, detail, tone, testId }: { label: string; bps: number; detail: string; tone: string; testId?: string }) {
  return (
    <div className="rounded-box bg-base-200 p-3">
      <p className="text-xs text-base-content/70">{label}</p>
      <p className="text-2xl font-bold tabular-nums" data-testid={testId}>
        {formatBps(bps)}
      </p>
      <progress className={`progress ${tone} w-full`} value={bps} max={10_000} aria-label={`${label}: ${formatBps(bps)}`} />
      <p className="text-xs text-base-content/70">{detail}</p>
    </div>
  );
}
