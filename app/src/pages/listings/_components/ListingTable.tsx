/** The table of listings: model (linking to its page), task, claimed accuracy, price, test policy, status, seller. */
import type { Address as Hex20 } from "viem";
import { Address } from "../../../components/Address.tsx";
import { DataTable } from "../../../components/DataTable.tsx";
import { StatusBadge } from "../../../components/StatusBadge.tsx";
import { stateLabel } from "@modelbazaar/sdk/labels";
import { ether, modelName, percent } from "../../../format.ts";

export interface ListingRowData {
  readonly id: bigint;
  readonly seller: Hex20;
  readonly status: number;
  readonly terms: { readonly claimedAccuracyBps: number; readonly task: { readonly featureCount: number; readonly classCount: number }; readonly testPolicy: { readonly deposit: bigint; readonly maxSamples: number } };
  readonly offer: { readonly metadataURI: string; readonly saleMode: number; readonly price: bigint; readonly workerEndpoint: string };
}

export function ListingTable({ listings }: { listings: readonly ListingRowData[] }) {
  return (
    <DataTable
      header={["#", "model", "task", "claimed accuracy", "price", "test-drive deposit", "status", "seller"]}
      rowTestId="listing"
      rowKey={(i) => listings[i]!.id.toString()}
      rows={listings.map((l) => [
          <span className="tabular-nums">{l.id.toString()}</span>,
          <a className="link link-primary font-semibold" href={`#/model/${l.id}`}>
            {modelName(l.offer.metadataURI)}
          </a>,
          <>
            {l.terms.task.featureCount} features, {l.terms.task.classCount} classes
          </>,
          <span className="tabular-nums">{percent(l.terms.claimedAccuracyBps)}</span>,
          <span className="font-semibold whitespace-nowrap tabular-nums">{l.offer.saleMode === 0 ? ether(l.offer.price) : stateLabel("SaleMode", "Auction")}</span>,
          <>
            <span className="whitespace-nowrap tabular-nums">{ether(l.terms.testPolicy.deposit)}</span>, up to {l.terms.testPolicy.maxSamples} samples
          </>,
          <StatusBadge enumName="ListingStatus" code={l.status} />,
          <Address address={l.seller} />,
        ])}
    />
  );
}
