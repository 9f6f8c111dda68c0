/**
 * A decoded ABI value for people (the SDK's readableValue): amounts in ETH with the wei in the
 * title, enums by name, accounts as links, tuples and arrays as nested lists.
 */
import type { ReadableValue } from "@modelbazaar/sdk/explorer";
import { ether } from "../../../format.ts";
import { PartyLink } from "./links.tsx";

export function ValueView({ value }: { value: ReadableValue }) {
  if (value.parts) {
    if (value.parts.length === 0) return <span className="text-base-content/70">(empty)</span>;
    return (
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 border-l border-base-300 pl-3">
        {value.parts.map((part, i) => (
          <div key={i} className="contents">
            <dt className="text-base-content/70">{part.name}</dt>
            <dd className="min-w-0">
              <ValueView value={part} />
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  if (value.address) return <PartyLink address={value.address} />;
  if (value.wei !== undefined)
    return (
      <span title={`${value.wei} wei`} data-wei={value.wei.toString()}>
        {ether(value.wei)}
      </span>
    );
  if (value.label !== undefined) return <span className="badge badge-ghost badge-sm">{value.label}</span>;
  return <span className={value.text.startsWith("0x") ? "font-mono text-[0.9em] break-all" : undefined}>{value.text}</span>;
}
