/**
 * `bazaar listings [--search words] [--task 4x3] [--max-price eth] [--min-claim percent]
 * [--sale fixed|auction] [--active]`: the market's listings, rebuilt from the registry's events
 * and its views (sdk/src/actions/readListings.ts), with the model's name and class names from
 * its model card (scripts/cli/metadataDocument.ts), filtered and ordered as the dApp does it
 * (sdk/src/listings/listingSearch.ts: promoted first, then the newest), as a table or --json.
 * Unlike the dApp it shows paused and delisted listings unless `--active` is given.
 */
import type { Command } from "commander";
import { formatEther } from "viem";
import { LISTING_STATUSES, readListings, type ListingEntry } from "@modelbazaar/sdk/actions";
import { stateLabelOfCode } from "@modelbazaar/sdk/labels";
import { searchListings, type ListingFilter, type SaleModeFilter } from "@modelbazaar/sdk/listings";
import { addChainOptions } from "../chainOptions.ts";
import { readListingCard, type ListingCard } from "../metadataDocument.ts";
import { printResult, type GlobalOptions } from "../output.ts";
import { readSession, type ChainOptions } from "../session.ts";
import { parseEth, parsePercentBps } from "../values.ts";
import { CliError } from "../cliError.ts";

interface ListingsFlags extends ChainOptions {
  search?: string;
  task?: string;
  maxPrice?: string;
  minClaim?: string;
  sale?: string;
  active?: boolean;
}

export function registerListings(program: Command, globals: () => GlobalOptions): void {
  addChainOptions(
    program
      .command("listings")
      .description("show the listings, promoted first, then the newest: status, model (name and classes from its model card), seller, task, claimed accuracy, price or auction, test policy, worker")
      .option("--search <words>", "only models whose name or class names hold every word (any case)")
      .option("--task <FxC>", "only this task: features x classes, e.g. 4x3")
      .option("--max-price <eth>", "only fixed prices up to this many ETH (auctions pass)")
      .option("--min-claim <percent>", "only claimed accuracies of at least this percentage, e.g. 95")
      .option("--sale <mode>", "only fixed-price or auction listings: fixed | auction")
      .option("--active", "hide paused and delisted listings"),
  ).action(async (options: ListingsFlags) => {
    const filter = filterOf(options);
    const { publicClient, deployment } = await readSession(options);
    const all = await readListings(publicClient, deployment);
    const cards = new Map(await Promise.all(all.map(async ({ listingId, listing }) => [listingId, await readListingCard(listing.offer)] as const)));
    const rows = all.map((entry) => ({ ...entry.listing, id: entry.listingId, entry, card: cards.get(entry.listingId)! }));
    const found = searchListings(rows, filter, ({ card }) => [card.name, ...(card.metadata?.classNames ?? [])].join(" "));
    printResult(globals(), found.map(({ entry, card }) => listingJson(entry, card)), () => formatTable(found.map((r) => r.entry), found.map((r) => r.card), all.length));
  });
}

function filterOf(flags: ListingsFlags): ListingFilter {
  if (flags.task !== undefined && !/^\d+x\d+$/.test(flags.task)) throw new CliError(`--task must be features x classes, e.g. 4x3, not "${flags.task}"`);
  if (flags.sale !== undefined && flags.sale !== "fixed" && flags.sale !== "auction") throw new CliError(`--sale must be fixed or auction, not "${flags.sale}"`);
  return {
    text: flags.search,
    task: flags.task,
    maxPriceWei: flags.maxPrice === undefined ? undefined : parseEth(flags.maxPrice, "--max-price"),
    minClaimBps: flags.minClaim === undefined ? undefined : parsePercentBps(flags.minClaim, "--min-claim"),
    saleMode: flags.sale as SaleModeFilter | undefined,
    includeInactive: flags.active !== true,
  };
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

function formatTable(entries: readonly ListingEntry[], cards: readonly ListingCard[], total: number): string {
  if (total === 0) return "no listings yet (a seller lists with `bazaar list <model.onnx> --terms <terms.json>`)";
  if (entries.length === 0) return `none of the ${total} listings matches (drop a filter to see more)`;
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
