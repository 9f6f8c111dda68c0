/** The warning that a test-drive's secrets live only in this browser, with their export. */
import { exportKeptTestDrive, type BrowserKeptTestDrive } from "../../../testDrive/keptTestDrive.ts";

export function KeptSecrets({ record, onKept }: { record: BrowserKeptTestDrive; onKept: (record: BrowserKeptTestDrive) => void }) {
  return (
    <div role="note" className={`alert ${record.exportedAt ? "alert-info" : "alert-warning"} alert-soft text-base-content flex flex-col items-start gap-2 sm:flex-row sm:items-center`} data-testid="kept-secrets">
      <p className="text-sm">
        {record.exportedAt
          ? `This test-drive's secrets (salt, labels, quantized features, predictions) are kept in this browser and were exported ${record.exportedAt.replace("T", " ").slice(0, 16)} UTC.`
          : "This test-drive's secrets (salt, labels, quantized features, predictions) are kept only in this browser. A refund by proof needs them: export them before clearing this site's data or changing browsers."}
      </p>
      <button type="button" className="btn btn-sm shrink-0" onClick={() => onKept(exportKeptTestDrive(record))}>
        Export secrets
      </button>
    </div>
  );
}
