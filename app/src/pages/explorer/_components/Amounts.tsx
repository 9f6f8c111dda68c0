/** An event's amounts in ETH, each named by its argument (the wei in the title). */
import type { ExplorerEntry } from "@modelbazaar/sdk/explorer";
import { ether } from "../../../format.ts";

export function Amounts({ entry }: { entry: ExplorerEntry }) {
  if (entry.amounts.length === 0) return <span className="text-base-content/50">-</span>;
  return (
    <ul className="space-y-0.5" data-testid="amounts">
      {entry.amounts.map(({ name, wei }) => (
        <li key={name} className="whitespace-nowrap" title={`${wei} wei`}>
          <span className="text-xs text-base-content/70">{name}</span> {ether(wei)}
        </li>
      ))}
    </ul>
  );
}
