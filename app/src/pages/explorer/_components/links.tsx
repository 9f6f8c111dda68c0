/**
 * Links of the explorer pages: to an entity's timeline, a transaction, an account (each with
 * the public explorer beside it on real networks; on the local chain the dApp is the explorer).
 */
import type { Address as Hex20, Hash } from "viem";
import type { EntityKind, EntityRef } from "@modelbazaar/sdk/explorer";
import { CopyButton } from "../../../components/Address.tsx";
import { publicAddressUrl, publicTxUrl } from "../../../explorerConfig.ts";
import { shortAddress } from "../../../format.ts";

export const KIND_LABELS: Readonly<Record<EntityKind, string>> = { listing: "Listing", test: "Test-drive", dispute: "Dispute", auction: "Auction", purchase: "Purchase" };
export const KIND_PLURALS: Readonly<Record<EntityKind, string>> = { listing: "Listings", test: "Test-drives", dispute: "Disputes", auction: "Auctions", purchase: "Purchases" };

export const entityHref = (ref: EntityRef): string => `#/explorer/${ref.kind}/${ref.id}`;
export const txHref = (hash: Hash): string => `#/tx/${hash}`;
export const addressHref = (address: Hex20): string => `#/address/${address}`;

/**
 * The dApp page where a person acts on an entity, when it has one: a listing's model page, an
 * auction's page, a purchase's page. A test-drive and its dispute are acted on from their
 * listing's model page, which the entity's "listing" link reaches.
 */
export function detailPageOf(ref: EntityRef): { readonly href: string; readonly label: string } | undefined {
  switch (ref.kind) {
    case "listing":
      return { href: `#/model/${ref.id}`, label: "test-drive, buy or bid on its model page" };
    case "auction":
      return { href: `#/auction/${ref.id}`, label: "bid, reveal, settle or reclaim on its auction page" };
    case "purchase":
      return { href: `#/purchase/${ref.id}`, label: "follow the delivery, verify it or complain on its purchase page" };
    case "test":
    case "dispute":
      return undefined;
  }
}

export function EntityLink({ entity }: { entity: EntityRef }) {
  return (
    <a className="link link-primary whitespace-nowrap" href={entityHref(entity)}>
      {KIND_LABELS[entity.kind]} #{String(entity.id)}
    </a>
  );
}

function External({ href, label }: { href: string | undefined; label: string }) {
  if (!href) return null;
  return (
    <a className="link text-xs text-base-content/70" href={href} target="_blank" rel="noreferrer" aria-label={label}>
      ↗
    </a>
  );
}

export function TxLink({ hash, full = false }: { hash: Hash; full?: boolean }) {
  return (
    <span className="inline-flex items-center gap-1 whitespace-nowrap">
      <a className="link link-primary font-mono text-[0.9em]" href={txHref(hash)} title={hash} data-testid="tx-link">
        {full ? hash : `${hash.slice(0, 10)}…${hash.slice(-6)}`}
      </a>
      <External href={publicTxUrl(hash)} label={`Transaction ${hash} on the public explorer`} />
    </span>
  );
}

export function PartyLink({ address, role }: { address: Hex20; role?: string }) {
  return (
    <span className="inline-flex items-center gap-1 whitespace-nowrap">
      {role ? <span className="text-xs text-base-content/70">{role}</span> : null}
      <a className="link font-mono text-[0.9em]" href={addressHref(address)} title={address} aria-label={`${shortAddress(address)}: ${role ? `${role} ` : ""}account ${address}`}>
        {shortAddress(address)}
      </a>
      <CopyButton text={address} label={`Copy address ${address}`} />
      <External href={publicAddressUrl(address)} label={`Account ${address} on the public explorer`} />
    </span>
  );
}

/** A block time as UTC, e.g. "2026-12-03 14:05:09 UTC". */
export function blockTime(timestamp: bigint): string {
  return `${new Date(Number(timestamp) * 1000).toISOString().replace("T", " ").replace(/\.\d+Z$/, "")} UTC`;
}
