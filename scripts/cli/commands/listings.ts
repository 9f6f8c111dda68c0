/**
 * `bazaar listings`: every listing of the market, rebuilt from the registry's events and its
 * views (sdk/src/actions/readListings.ts), with the model's name and class names from its
 * model card (scripts/cli/metadataDocument.ts), as a table or --json.
 */
import type { Command } from "commander";
import { formatEther } from "viem";
import { LISTING_STATUSES, readListings, type ListingEntry } from "@modelbazaar/sdk/actions";
import { stateLabelOfCode } from "@modelbazaar/sdk/labels";
import { addChainOptions } from "../chainOptions.ts";
import { readListingCard, type ListingCard } from "../metadataDocument.ts";
import { printResult, type GlobalOptions } from "../output.ts";
import { readSession, type ChainOptions } from "../session.ts";

export function registerListings(program: Command, globals: () => GlobalOptions): void {
  addChainOptions(
    program.command("listings").description("show every listing: status, model (name and classes from its model card), seller, task, claimed accuracy, price or auction, test policy, worker"),
  ).action(async (options: ChainOptions) => {
    const { publicClient, deployment } = await readSession(options);
    const entries = await readListings(publicClient, deployment);
    const cards = await Promise.all(entries.map(({ listing }) => readListingCard(listing.offer)));
    printResult(globals(), entries.map((entry, i) => listingJson(entry, cards[i]!)), () => formatTable(entries, cards));
  });
}

function listingJson({ listingId, listedInBlock, listing }: ListingEntry, card: ListingCard) {
  return {
    listingId,
    listedInBlock,
    ...listing,
    status: LISTING_STATUSES[listing.status],
    saleMode: listing.offer.saleMode === 0 ? "fixed" : "auction",
    model: { name: card.name, classNames: card.metadata?.classNames, problem: card.problem },
  };
}

function formatTable(entries: readonly ListingEntry[], cards: readonly ListingCard[]): string {
  if (entries.length === 0) return "no listings yet (a seller lists with `bazaar list <model.onnx> --terms <terms.json>`)";
  const rows = entries.map(({ listingId, listing: { seller, status, terms, offer } }, i) => {
    const p = terms.testPolicy;
    const classes = cards[i]!.metadata?.classNames;
    return [
      `#${listingId}`,
      stateLabelOfCode("ListingStatus", status) ?? String(status),
      cards[i]!.name,
      `${seller.slice(0, 8)}…${seller.slice(-4)}`,
      `${terms.task.featureCount} features → ${terms.task.classCount} classes${classes && classes.some((name, c) => name !== String(c)) && classes.join(", ").length <= 40 ? ` (${classes.join(", ")})` : ""}`,
      `${(terms.claimedAccuracyBps / 100).toFixed(2)}%`,
      offer.saleMode === 0 ? `${formatEther(offer.price)} ETH` : "auction",
      `deposit ${formatEther(p.deposit)} ETH, ${p.minSamples}-${p.maxSamples} samples, ${p.freeSamples} free then ${formatEther(p.feePerExtraSample)} ETH each`,
      offer.workerEndpoint,
    ];
  });
  const header = ["ID", "STATUS", "MODEL", "SELLER", "TASK", "CLAIM", "SALE", "TEST-DRIVE", "WORKER"];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  return [header, ...rows].map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join("  ").trimEnd()).join("\n");
}
