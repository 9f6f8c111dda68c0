/** The seller's record on the chain (the SDK's sellerHistory over the explorer's events), following new blocks. */
import type { Address as Hex20 } from "viem";
import { sellerHistory } from "@modelbazaar/sdk/explorer";
import { Address } from "../../../components/Address.tsx";
import { ErrorState, LoadingState } from "../../../components/States.tsx";
import { useExplorer } from "../../../hooks/useExplorer.ts";
import { Panel } from "../../../components/Panel.tsx";

export function SellerHistoryPanel({ seller }: { seller: Hex20 }) {
  const { data: index, error, isLoading } = useExplorer();
  const history = index ? sellerHistory(index, seller) : undefined;
  const stats: readonly (readonly [string, number | undefined, string])[] = history
    ? [
        ["listings", history.listings.length, ""],
        ["test-drives", history.testDrives, history.unserved > 0 ? `${history.unserved} never served` : ""],
        ["sales", history.sales, "completed"],
        ["disputes lost", history.disputesLost, `of ${history.disputes} refund claims${history.disputesWon > 0 ? `, ${history.disputesWon} won` : ""}`],
      ]
    : [];
  return (
    <Panel id="seller-history" title="The seller's history">
      <p className="text-sm">
        Seller <Address address={seller} /> ·{" "}
        <a className="link" href={`#/address/${seller}`}>
          every event
        </a>
      </p>
      {error ? <ErrorState title="Cannot read the market's events" error={error} /> : null}
      {isLoading ? <LoadingState>Reading the seller's history…</LoadingState> : null}
      {history ? (
        <dl className="grid grid-cols-2 gap-3" data-testid="seller-history">
          {stats.map(([label, value, note]) => (
            <div key={label} className="rounded-box bg-base-200 p-3">
              <dt className="text-xs text-base-content/70">{label}</dt>
              <dd className="text-xl font-semibold tabular-nums">{value}</dd>
              {note ? <dd className="text-xs text-base-content/70">{note}</dd> : null}
            </div>
          ))}
        </dl>
      ) : null}
    </Panel>
  );
}
