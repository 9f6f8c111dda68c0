/**
 * The audit: every trade of the market rebuilt from the chain's events and re-checked in this
 * browser (the same auditMarket as `bazaar audit`), so nobody has to trust a server's word.
 * The verdict first, then the failed checks, the checks by rule and the trades.
 */
import { failures } from "@modelbazaar/sdk/audit";
import { PageHeader } from "../../components/PageHeader.tsx";
import { ErrorState, LoadingState } from "../../components/States.tsx";
import { useAudit } from "../../hooks/useAudit.ts";
import { chain, deployment } from "../../marketConfig.ts";
import { CheckTable } from "./_components/CheckTable.tsx";
import { FailedChecks } from "./_components/FailedChecks.tsx";
import { TradeTables } from "./_components/TradeTables.tsx";

export function AuditPage() {
  const { data: report, error, isFetching, refetch } = useAudit();
  const failed = report ? failures(report.findings) : [];
  return (
    <main>
      <PageHeader
        title="Audit"
        actions={
          <button type="button" className="btn btn-primary" onClick={() => void refetch()} disabled={isFetching}>
            {isFetching ? <span className="loading loading-spinner loading-sm" aria-hidden="true" /> : null}
            Re-run
          </button>
        }
      >
        <p>
          Every trade rebuilt from the chain and re-verified in this browser. {chain.name} · market <code>{deployment.market}</code>
          {report ? ` · blocks ${report.fromBlock}..${report.toBlock}` : null}
        </p>
      </PageHeader>
      {isFetching ? <LoadingState>Auditing every trade from the chain…</LoadingState> : null}
      {error && !isFetching ? <ErrorState title="The audit could not run" error={error} /> : null}
      {report && !isFetching ? (
        <div className="flex flex-col gap-8">
          <div className={`alert ${failed.length === 0 ? "alert-success" : "alert-error"}`}>
            <p data-testid="audit-summary" className="text-base">
              <strong>{report.summary}</strong>
              {report.partial ? " (partial: the money checks need the scan to start at the deployment)" : null}
            </p>
          </div>
          <FailedChecks failed={failed} />
          <CheckTable findings={report.findings} />
          <TradeTables report={report} />
        </div>
      ) : null}
    </main>
  );
}
