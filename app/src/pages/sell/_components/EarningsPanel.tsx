/**
 * What the market owes the seller (the SDK's findPayouts, what `bazaar withdraw` collects): the
 * ledger's credit with each part named by its source ("fee for test-drive 3", "payment for
 * purchase 1"), the sales and forfeited deposits waiting to be collected (the market pays
 * them straight to the seller who asks, and credits them to the seller when anyone else does),
 * and the withdrawal, each through useTransactor.
 */
import type { Address } from "viem";
import { modelMarketAbi } from "@modelbazaar/sdk/abis";
import { ErrorState, LoadingState } from "../../../components/States.tsx";
import { ether } from "../../../format.ts";
import { usePayouts } from "../../../hooks/usePayouts.ts";
import { useTransactor } from "../../../hooks/useTransactor.ts";
import { deployment } from "../../../marketConfig.ts";
import { Panel } from "../../../components/Panel.tsx";

export function EarningsPanel({ account }: { account: Address }) {
  const { data: due, error, isLoading } = usePayouts(account);
  const { transact, pending } = useTransactor();
  const market = { address: deployment.market, abi: modelMarketAbi } as const;
  return (
    <Panel id="earnings" title="Earnings">
      {error ? <ErrorState title="Cannot read what the market owes you" error={error} /> : null}
      {isLoading ? <LoadingState>Reading what the market owes you…</LoadingState> : null}
      {due ? (
        <>
          <p className="text-sm">
            Withdrawable now{" "}
            <span className="block text-2xl font-semibold tabular-nums" data-testid="earnings-owed">
              {ether(due.owed)}
            </span>
          </p>
          {due.credits.length > 0 ? (
            <ul className="space-y-1 text-sm" aria-label="Where it comes from" data-testid="earnings-credits">
              {due.credits.map((credit, i) => (
                <li key={`${credit.transaction ?? "rest"}-${i}`} className="flex flex-wrap justify-between gap-x-3">
                  <span>{credit.transaction ? <a className="link" href={`#/tx/${credit.transaction}`}>{credit.source}</a> : credit.source}</span>
                  <span className="font-mono">{ether(credit.amount)}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-base-content/80">Nothing is credited to you right now: fees, sales and forfeited deposits appear here as buyers trade.</p>
          )}
          {due.completable.length + due.forfeitable.length > 0 ? (
            <div className="space-y-2" data-testid="earnings-collectable">
              <p className="text-sm font-semibold">Ready to collect (paid straight to you)</p>
              {due.completable.map((purchaseId) => (
                <button key={`p${purchaseId}`} type="button" className="btn btn-outline btn-sm w-full" disabled={pending} onClick={() => void transact({ ...market, description: `Collect the payment for purchase ${purchaseId}`, functionName: "completePurchase", args: [purchaseId] })}>
                  Collect the payment for purchase {String(purchaseId)}
                </button>
              ))}
              {due.forfeitable.map((testId) => (
                <button key={`t${testId}`} type="button" className="btn btn-outline btn-sm w-full" disabled={pending} onClick={() => void transact({ ...market, description: `Collect the deposit of test-drive ${testId}`, functionName: "forfeitDeposit", args: [testId] })}>
                  Collect the forfeited deposit of test-drive {String(testId)}
                </button>
              ))}
            </div>
          ) : null}
          <button type="button" className="btn btn-primary btn-sm" disabled={pending || due.owed === 0n} onClick={() => void transact({ ...market, description: `Withdraw ${ether(due.owed)}`, functionName: "withdraw" })}>
            {pending ? <span className="loading loading-spinner loading-xs" aria-hidden="true" /> : null}
            {due.owed === 0n ? "Nothing to withdraw" : `Withdraw ${ether(due.owed)}`}
          </button>
        </>
      ) : null}
    </Panel>
  );
}
