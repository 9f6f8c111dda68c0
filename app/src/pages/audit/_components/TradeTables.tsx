/**
 * The trades the audit rebuilt from the chain, one table per flow (listings, test-drives,
 * refund disputes, auctions, purchases) and the money summary: the columns `bazaar audit` prints
 * (formatAuditReport), amounts in ETH as on the listings page.
 */
import type { Address as Hex20 } from "viem";
import type { AuditReport } from "@modelbazaar/sdk/audit";
import { Address } from "../../../components/Address.tsx";
import { ether, modelName, percent } from "../../../format.ts";
import { ExplorerLink as Entity } from "./ExplorerLink.tsx";
import { ReportTable } from "./ReportTable.tsx";

function Addr({ address }: { address: Hex20 | undefined }) {
  return address ? <Address address={address} /> : "-";
}

export function TradeTables({ report: r }: { report: AuditReport }) {
  return (
    <>
      <ReportTable
        title="Listings"
        header={["id", "model", "seller", "status", "sale", "price", "claim", "test-drives", "sales"]}
        rows={r.listings.map((l) => [<Entity kind="listing" id={l.listingId} />, modelName(l.metadataURI), <Addr address={l.seller} />, l.status, l.saleMode, ether(l.price), percent(l.claimedAccuracyBps), l.testDrives, l.purchases])}
      />
      <ReportTable
        title="Test-drives"
        header={["id", "listing", "buyer", "samples", "deposit", "fee", "outcome", "to buyer", "to seller"]}
        rows={r.tests.map((t) => [<Entity kind="test" id={t.testId} />, <Entity kind="listing" id={t.listingId} />, <Addr address={t.buyer} />, t.sampleCount, ether(t.deposit), ether(t.fee), t.outcome, ether(t.toBuyer), ether(t.toSeller)])}
      />
      <ReportTable
        title="Refund disputes"
        header={["test", "listing", "shortfall", "refund", "stage", "claim proof", "open proof", "contest proof"]}
        rows={(r.refundDisputes ?? []).map((d) => [<Entity kind="test" id={d.testId} />, <Entity kind="listing" id={d.listingId} />, percent(d.shortfallBps), ether(d.refund), d.stage, d.claimProof, d.openProof, d.contestProof])}
      />
      <ReportTable
        title="Auctions"
        header={["id", "listing", "kind", "reserve", "bids", "revealed", "winner", "price", "rules give"]}
        rows={r.auctions.map((a) => [
          <Entity kind="auction" id={a.auctionId} />,
          <Entity kind="listing" id={a.listingId} />,
          a.kind,
          ether(a.reservePrice),
          a.bids,
          a.revealed,
          a.settled ? <Addr address={a.winner} /> : "(not settled)",
          a.price === undefined ? "-" : ether(a.price),
          <>
            <Addr address={a.expectedWinner} /> @ {ether(a.expectedPrice)}
          </>,
        ])}
      />
      <ReportTable
        title="Purchases"
        header={["id", "listing", "buyer", "price", "deposit applied", "auction", "state"]}
        rows={r.purchases.map((p) => [<Entity kind="purchase" id={p.purchaseId} />, <Entity kind="listing" id={p.listingId} />, <Addr address={p.buyer} />, ether(p.price), ether(p.depositApplied), p.auctionId ? <Entity kind="auction" id={p.auctionId} /> : "-", p.state])}
      />
      {r.funds ? (
        <p className="rounded-box bg-base-100 p-4 text-sm">
          Funds: the market holds {ether(r.funds.marketBalance)} ({r.funds.marketBalance >= r.funds.held + r.funds.owed ? "≥" : "<"} {ether(r.funds.held)} held + {ether(r.funds.owed)} owed); the registry holds{" "}
          {ether(r.funds.registryBalance)} of promotion fees ({ether(r.funds.promotionFeesHeld)} expected).
          {r.funds.disputes
            ? ` The refund disputes contract holds ${ether(r.funds.disputes.balance)} (${r.funds.disputes.balance >= r.funds.disputes.staked ? "≥" : "<"} ${ether(r.funds.disputes.staked)} staked by live disputes).`
            : null}
          {r.funds.unowned.market + r.funds.unowned.registry > 0n
            ? ` Unowned (forced in, belongs to no one): ${ether(r.funds.unowned.market)} in the market, ${ether(r.funds.unowned.registry)} in the registry.`
            : null}
        </p>
      ) : null}
    </>
  );
}
