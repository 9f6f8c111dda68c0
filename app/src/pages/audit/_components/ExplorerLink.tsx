/** An audited id that opens the entity's timeline in the explorer (#/explorer/<kind>/<id>). */
export function ExplorerLink({ kind, id }: { kind: "listing" | "test" | "dispute" | "auction" | "purchase"; id: bigint }) {
  return (
    <a className="link link-primary" href={`#/explorer/${kind}/${id}`} aria-label={`${kind} ${id} in the explorer`}>
      {String(id)}
    </a>
  );
}
