/** One event's arguments, decoded by its ABI, each read for people (ValueView). */
import { type ExplorerEntry, readableValue } from "@modelbazaar/sdk/explorer";
import { ValueView } from "./ValueView.tsx";

export function EntryArguments({ entry }: { entry: ExplorerEntry }) {
  if (entry.inputs.length === 0) return null;
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
      {entry.inputs.map((input, i) => (
        <div key={i} className="contents">
          <dt className="text-base-content/70">{input.name}</dt>
          <dd className="min-w-0">
            <ValueView value={readableValue(input, entry.args[input.name ?? ""])} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** The event's name, with its enum arguments (`TestClosed · Refunded`). */
export function EventName({ entry }: { entry: ExplorerEntry }) {
  const labels = Object.values(entry.labels);
  return (
    <span className="whitespace-nowrap">
      <span className="font-semibold">{entry.eventName}</span>
      {labels.length > 0 ? <span className="text-base-content/70"> · {labels.join(", ")}</span> : null}
    </span>
  );
}
