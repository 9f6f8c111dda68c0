/** The table of listings: model, task, claimed accuracy, price, test policy, seller. */
import type { Address } from "viem";
import { ether, modelName, percent, shortAddress } from "../../../format.ts";

export interface ListingRowData {
  readonly id: bigint;
  readonly seller: Address;
  readonly status: number;
  readonly terms: { readonly claimedAccuracyBps: number; readonly task: { readonly featureCount: number; readonly classCount: number }; readonly testPolicy: { readonly deposit: bigint; readonly maxSamples: number } };
  readonly offer: { readonly metadataURI: string; readonly saleMode: number; readonly price: bigint; readonly workerEndpoint: string };
}

/** IModelRegistry.ListingStatus, in declaration order. */
const STATUS = ["none", "active", "paused", "delisted"];

export function ListingTable({ listings }: { listings: readonly ListingRowData[] }) {
  return (
    <table>
      <thead>
        <tr>
          <th>#</th>
          <th>model</th>
          <th>task</th>
          <th>claimed accuracy</th>
          <th>price</th>
          <th>test-drive deposit</th>
          <th>status</th>
          <th>seller</th>
        </tr>
      </thead>
      <tbody>
        {listings.map((l) => (
          <tr key={l.id.toString()} data-testid="listing">
            <td>{l.id.toString()}</td>
            <td>{modelName(l.offer.metadataURI)}</td>
            <td>
              {l.terms.task.featureCount} features, {l.terms.task.classCount} classes
            </td>
            <td>{percent(l.terms.claimedAccuracyBps)}</td>
            <td>{l.offer.saleMode === 0 ? ether(l.offer.price) : "auction"}</td>
            <td>
              {ether(l.terms.testPolicy.deposit)}, up to {l.terms.testPolicy.maxSamples} samples
            </td>
            <td>{STATUS[l.status] ?? String(l.status)}</td>
            <td title={l.seller}>{shortAddress(l.seller)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
