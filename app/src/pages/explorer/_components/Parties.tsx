/** An event's parties by role, and who sent its transaction. */
import type { ExplorerEntry } from "@modelbazaar/sdk/explorer";
import { PartyLink } from "./links.tsx";

export function Parties({ entry }: { entry: ExplorerEntry }) {
  const named = new Set(entry.parties.map((p) => p.address.toLowerCase()));
  return (
    <ul className="space-y-0.5">
      {entry.parties.map(({ role, address }) => (
        <li key={role}>
          <PartyLink address={address} role={role} />
        </li>
      ))}
      {entry.sender && !named.has(entry.sender.toLowerCase()) ? (
        <li>
          <PartyLink address={entry.sender} role="sent by" />
        </li>
      ) : null}
    </ul>
  );
}
