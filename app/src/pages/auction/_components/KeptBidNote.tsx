/**
 * The warning that a sealed bid's secret (amount and salt) lives only in this browser, with its
 * export; or, when this browser does not have it, the import of an exported file, refused in a
 * sentence unless its amount and salt open the bid the chain holds (keptBid.ts).
 */
import { useState, type ChangeEvent } from "react";
import type { Address } from "viem";
import type { AuctionView } from "@modelbazaar/sdk/actions";
import { firstLine } from "../../../components/States.tsx";
import { deployment } from "../../../marketConfig.ts";
import { exportKeptBid, importKeptBid, type BrowserKeptBid } from "../../../auction/keptBid.ts";

export function KeptBidNote({ view, bidder, kept, onKept }: { view: AuctionView; bidder: Address; kept: BrowserKeptBid | undefined; onKept: () => void }) {
  const [error, setError] = useState<string>();
  const penalty = `${view.nonRevealPenaltyBps / 100}%`;
  if (!kept) {
    async function pick(event: ChangeEvent<HTMLInputElement>) {
      const file = event.target.files?.[0];
      if (!file) return;
      try {
        if (!view.bid) return;
        importKeptBid(await file.text(), { chainId: deployment.chainId, market: deployment.market, auctionId: view.auctionId, bidder, commitment: view.bid.commitment });
        setError(undefined);
        onKept();
      } catch (cause) {
        setError(`${file.name}: ${firstLine(cause)}`);
      }
    }
    return (
      <div role="note" className="alert alert-warning alert-soft text-base-content flex flex-col items-start gap-2" data-testid="kept-bid">
        <p className="text-sm">This browser does not keep your bid's amount and salt. Without them it cannot be revealed and pays the {penalty} penalty: import the file you exported when you bid.</p>
        <label className="flex flex-col gap-1 text-sm">
          <span>Import an exported bid</span>
          <input type="file" accept="application/json,.json" className="file-input file-input-sm w-full max-w-xs" onChange={(event) => void pick(event)} />
        </label>
        {error ? (
          <p role="alert" className="text-sm text-error" data-testid="import-error">
            {error}
          </p>
        ) : null}
      </div>
    );
  }
  return (
    <div role="note" className={`alert ${kept.exportedAt ? "alert-info" : "alert-warning"} alert-soft text-base-content flex flex-col items-start gap-2 sm:flex-row sm:items-center`} data-testid="kept-bid">
      <p className="text-sm">
        {kept.exportedAt
          ? `Your bid's amount and salt are kept in this browser and were exported ${kept.exportedAt.replace("T", " ").slice(0, 16)} UTC.`
          : `Your bid's amount and salt are kept only in this browser. The reveal needs them: export them before clearing this site's data or changing browsers, or the bid pays the ${penalty} penalty.`}
      </p>
      <button
        type="button"
        className="btn btn-sm shrink-0"
        onClick={() => {
          exportKeptBid(kept);
          onKept();
        }}
      >
        Export the bid's secret
      </button>
    </div>
  );
}
