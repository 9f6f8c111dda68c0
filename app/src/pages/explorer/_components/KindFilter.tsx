/** The explorer's filter by kind of entity: each kind is an address (#/explorer/test), so a filtered view can be shared. */
import { ENTITY_KINDS, type EntityKind } from "@modelbazaar/sdk/explorer";
import { KIND_PLURALS } from "./links.tsx";

export function KindFilter({ current, counts }: { current: EntityKind | undefined; counts: Readonly<Record<EntityKind, number>> }) {
  const item = (href: string, label: string, active: boolean) => (
    <li key={href}>
      <a href={href} className={`btn btn-sm ${active ? "btn-primary" : "btn-ghost"}`} aria-current={active ? "page" : undefined}>
        {label}
      </a>
    </li>
  );
  return (
    <nav aria-label="Filter by kind" className="mb-4">
      <ul className="flex flex-wrap gap-1">
        {item("#/explorer", "Everything", current === undefined)}
        {ENTITY_KINDS.map((kind) => item(`#/explorer/${kind}`, `${KIND_PLURALS[kind]} (${counts[kind]})`, current === kind))}
      </ul>
    </nav>
  );
}
