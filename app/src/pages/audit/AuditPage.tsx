/**
 * The audit: every trade of the market rebuilt from the chain's events and re-checked in this
 * browser (the same auditMarket as `bazaar audit`), so nobody has to trust a server's word.
 * The verdict first, then the failed checks, the checks by rule and the trades.
 */
import { failures } from "../../../../sdk/src/audit/index.ts";
import { useAudit } from "../../hooks/useAudit.ts";
import { chain, deployment } from "../../marketConfig.ts";
import { CheckTable } from "./_components/CheckTable.tsx";
import { FailedChecks } from "./_components/FailedChecks.tsx";
import { TradeTables } from "./_components/TradeTables.tsx";

export function AuditPage() {
  const { data: report, error, isFetching, refetch } = useAudit();
  return (
    <main>
      <h1>Audit</h1>
      <p>
        {chain.name} · market <code>{deployment.market}</code>
        {report ? ` · blocks ${report.fromBlock}..${report.toBlock}` : null}
      </p>
      <button type="button" onClick={() => void refetch()} disabled={isFetching}>
        Re-run
      </button>
      {isFetching ? <p>Auditing every trade from the chain…</p> : null}
      {error && !isFetching ? <p role="alert">The audit could not run: {error.message.split("\n")[0]}</p> : null}
      {report && !isFetching ? (
        <>
          <p data-testid="audit-summary">
            <strong>{report.summary}</strong>
            {report.partial ? " (partial: the money checks need the scan to start at the deployment)" : null}
          </p>
          <FailedChecks failed={failures(report.findings)} />
          <CheckTable findings={report.findings} />
          <TradeTables report={report} />
        </>
      ) : null}
    </main>
  );
}
