/**
 * One transaction (#/tx/<hash>): the call decoded with the market's or the registry's ABI,
 * its status, gas, fee and value, and the events it emitted, decoded like the explorer's
 * timelines. A pending or unknown hash is asked again until it is mined; confirmations count up
 * as blocks arrive.
 */
import type { ReactNode } from "react";
import { isHash, type Hash } from "viem";
import { useBlockNumber } from "wagmi";
import { readableValue, type TransactionView } from "@modelbazaar/sdk/explorer";
import { PageHeader } from "../../components/PageHeader.tsx";
import { EmptyState, ErrorState, LoadingState } from "../../components/States.tsx";
import { publicTxUrl } from "../../explorerConfig.ts";
import { ether } from "../../format.ts";
import { useHashRoute } from "../../hooks/useHashRoute.ts";
import { useTransactionView } from "../../hooks/useTransactionView.ts";
import { Timeline } from "../explorer/_components/Timeline.tsx";
import { blockTime, PartyLink } from "../explorer/_components/links.tsx";
import { ValueView } from "../explorer/_components/ValueView.tsx";

export function TxPage() {
  const text = useHashRoute().split("/")[2] ?? "";
  const hash = isHash(text) ? (text as Hash) : undefined;
  const { data: tx, error, isLoading } = useTransactionView(hash);
  if (!hash) {
    return (
      <main>
        <EmptyState title="Not a transaction hash">
          <p>"{text}" is not a transaction hash (0x and 64 hex digits).</p>
        </EmptyState>
      </main>
    );
  }
  const external = publicTxUrl(hash);
  return (
    <main>
      <PageHeader title="Transaction">
        <p className="flex flex-wrap items-center gap-2 font-mono break-all" data-testid="tx-hash">
          {hash}
          {external ? (
            <a className="link font-sans" href={external} target="_blank" rel="noreferrer">
              on the public explorer ↗
            </a>
          ) : null}
        </p>
      </PageHeader>
      {isLoading ? <LoadingState>Reading the transaction…</LoadingState> : null}
      {error ? (
        /could not be found|not found/i.test(error.message) ? (
          <EmptyState title="No such transaction (yet)">
            <p>The node does not know this hash; the page asks again every few seconds.</p>
          </EmptyState>
        ) : (
          <ErrorState title="Cannot read the transaction" error={error} />
        )
      ) : null}
      {tx ? <Transaction tx={tx} /> : null}
    </main>
  );
}

function Transaction({ tx }: { tx: TransactionView }) {
  const { data: latest } = useBlockNumber({ watch: true });
  const r = tx.receipt;
  const row = (label: string, value: ReactNode, testId?: string) => (
    <div className="contents">
      <dt className="text-base-content/70">{label}</dt>
      <dd className="min-w-0" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
  return (
    <>
      <section aria-labelledby="tx-summary" className="card card-border mb-6 bg-base-100">
        <div className="card-body p-4">
          <h2 id="tx-summary" className="sr-only">
            Summary
          </h2>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            {row(
              "status",
              r ? <span className={`badge ${r.status === "success" ? "badge-success" : "badge-error"}`}>{r.status}</span> : <span className="badge badge-warning">pending</span>,
              "tx-status",
            )}
            {r ? row("block", <>{String(r.blockNumber)} · {blockTime(r.timestamp)}{latest !== undefined ? ` · ${latest - r.blockNumber + 1n} confirmations` : ""}</>) : null}
            {row("from", <PartyLink address={tx.from} />)}
            {row("to", tx.to ? <><PartyLink address={tx.to} />{tx.contract ? <span className="ml-1 text-base-content/70">(the {tx.contract})</span> : null}</> : r?.contractAddress ? <>new contract <PartyLink address={r.contractAddress} /></> : "contract creation")}
            {row("value", <span title={`${tx.value} wei`}>{ether(tx.value)}</span>, "tx-value")}
            {r ? row("gas used", <>{r.gasUsed.toLocaleString("en-US")} of {r.gasLimit.toLocaleString("en-US")} ({((Number(r.gasUsed) / Number(r.gasLimit)) * 100).toFixed(1)}%)</>, "tx-gas") : null}
            {r ? row("effective gas price", `${(Number(r.effectiveGasPrice) / 1e9).toLocaleString("en-US", { maximumFractionDigits: 9 })} gwei`) : null}
            {r ? row("fee", <span title={`${r.fee} wei`}>{ether(r.fee)}</span>) : null}
            {row("nonce", tx.nonce)}
          </dl>
        </div>
      </section>
      <section aria-labelledby="tx-call" className="mb-6">
        <h2 id="tx-call" className="mb-3 text-xl font-semibold">
          Call
        </h2>
        {tx.call ? (
          <div className="card card-border bg-base-100">
            <div className="card-body gap-3 p-4">
              <p className="font-mono" data-testid="tx-function">
                {tx.call.contract}.{tx.call.functionName}({tx.call.args.map((a) => a.parameter.name).join(", ")})
              </p>
              {tx.call.args.length > 0 ? (
                <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm" data-testid="tx-args">
                  {tx.call.args.map(({ parameter, value }, i) => (
                    <div key={i} className="contents">
                      <dt className="text-base-content/70">{parameter.name}</dt>
                      <dd className="min-w-0">
                        <ValueView value={readableValue(parameter, value)} />
                      </dd>
                    </div>
                  ))}
                </dl>
              ) : null}
            </div>
          </div>
        ) : (
          <p className="text-sm">
            {tx.contract ? "The input matches no function of the contract's ABI." : "Not a call to the registry or the market."} Input:{" "}
            <code className="break-all">{tx.input.length > 202 ? `${tx.input.slice(0, 202)}…` : tx.input}</code>
          </p>
        )}
      </section>
      {r ? (
        <section aria-labelledby="tx-events">
          <h2 id="tx-events" className="mb-3 text-xl font-semibold">
            Events ({r.events.length + r.otherLogs.length})
          </h2>
          {r.events.length > 0 ? <Timeline entries={r.events} /> : <EmptyState title={r.status === "reverted" ? "A reverted transaction emits no events" : "No events"} />}
          {r.otherLogs.length > 0 ? (
            <ul className="mt-4 space-y-2 text-sm">
              {r.otherLogs.map((log) => (
                <li key={log.logIndex} className="font-mono break-all">
                  log {log.logIndex} of <PartyLink address={log.address} />: topics {log.topics.join(", ")} data {log.data}
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
