/**
 * `bazaar listing pause|resume|reprice|delist <listingId>`: the seller manages a listing with
 * the registry's own functions (sdk/src/actions/manageListing.ts): pause (no new test-drives,
 * purchases or auctions), resume, change a fixed price, delist for good. Each reads the listing
 * first and refuses, in a sentence, what the registry would refuse (not the seller, already
 * paused, delisted, an auction's price...), so nothing is sent that would fail; a change that
 * races another is phrased from the registry's custom error (sdk/src/errors/contractErrors.ts).
 */
import type { Command } from "commander";
import { formatEther, type Hash } from "viem";
import {
  delistListing,
  listingChangeRefusal,
  pauseListing,
  repriceListing,
  resumeListing,
  type ListingChange,
  LISTING_STATUSES,
  readListing,
  type Listing,
  UnknownIdError,
} from "@modelbazaar/sdk/actions";
import { addChainOptions } from "../chainOptions.ts";
import { CliError } from "../cliError.ts";
import { printResult, type GlobalOptions } from "../output.ts";
import { writeSession, type ChainOptions, type WriteSession } from "../session.ts";
import { sendTransaction } from "../tx.ts";
import { parseEth, parseId } from "../values.ts";

const VERBING: Readonly<Record<ListingChange, string>> = { pause: "pausing", resume: "resuming", reprice: "repricing", delist: "delisting" };
const AS_SELLER = "(as its seller: MODELBAZAAR_KEYSTORE or MODELBAZAAR_PRIVATE_KEY)";

export function registerListing(program: Command, globals: () => GlobalOptions): void {
  const listing = program
    .command("listing")
    .description("manage your listing: pause, resume, reprice or delist it (trades under way always resolve under its terms)");

  addChainOptions(listing.command("pause").description(`stop new test-drives, purchases and auctions of your listing until you resume it ${AS_SELLER}`))
    .argument("<listingId>", "your listing")
    .action(async (id: string, options: ChainOptions) => {
      await change(globals, options, id, "pause", (s, listingId) => pauseListing(s.contracts.registry, listingId), (listingId) =>
        `paused listing ${listingId}: no new test-drives, purchases or auctions until \`bazaar listing resume ${listingId}\`; those under way still resolve.`,
      );
    });

  addChainOptions(listing.command("resume").description(`reopen your paused listing to test-drives, purchases and auctions ${AS_SELLER}`))
    .argument("<listingId>", "your paused listing")
    .action(async (id: string, options: ChainOptions) => {
      await change(globals, options, id, "resume", (s, listingId) => resumeListing(s.contracts.registry, listingId), (listingId) => `listing ${listingId} is active again.`);
    });

  addChainOptions(listing.command("reprice").description(`change the price of your fixed-price listing ${AS_SELLER}`))
    .argument("<listingId>", "your fixed-price listing (active or paused)")
    .argument("<eth>", "the new price in ETH, e.g. 0.75")
    .action(async (id: string, eth: string, options: ChainOptions) => {
      const price = parseEth(eth, "the new price");
      await change(
        globals,
        options,
        id,
        "reprice",
        (s, listingId, current) => repriceListing(s.contracts.registry, listingId, current.offer, price),
        (listingId, current) =>
          `listing ${listingId} now costs ${formatEther(price)} ETH (was ${formatEther(current.offer.price)} ETH); a purchase sent at the old price is refused by the market, never charged the new one.`,
        price,
      );
    });

  addChainOptions(listing.command("delist").description(`withdraw your listing for good: it can never be test-driven, bought or auctioned again (cannot be undone) ${AS_SELLER}`))
    .argument("<listingId>", "your listing")
    .action(async (id: string, options: ChainOptions) => {
      await change(globals, options, id, "delist", (s, listingId) => delistListing(s.contracts.registry, listingId), (listingId) =>
        `delisted listing ${listingId} for good: test-drives, purchases and auctions under way still resolve under its terms (\`bazaar withdraw\` collects what they pay you).`,
      );
    });
}

/** Reads the listing, refuses what cannot be done, sends the change and prints what it did. */
async function change(
  globals: () => GlobalOptions,
  options: ChainOptions,
  idText: string,
  what: ListingChange,
  send: (session: WriteSession, listingId: bigint, current: Listing) => Promise<Hash>,
  done: (listingId: bigint, current: Listing) => string,
  newPrice?: bigint,
): Promise<void> {
  const listingId = parseId(idText, "the listing id");
  const session = await writeSession(options);
  let current: Listing;
  try {
    current = await readListing(session.publicClient, session.deployment, listingId);
  } catch (error) {
    if (error instanceof UnknownIdError) throw new CliError(error.message);
    throw error;
  }
  const refusal = listingChangeRefusal(listingId, current, session.account.address, what, newPrice);
  if (refusal) throw new CliError(refusal);
  const receipt = await sendTransaction(session.publicClient, `${VERBING[what]} listing ${listingId}`, () => send(session, listingId, current));
  const after = await readListing(session.publicClient, session.deployment, listingId);
  printResult(
    globals(),
    { listingId, action: what, status: LISTING_STATUSES[after.status], price: after.offer.saleMode === 0 ? after.offer.price : undefined, previousPrice: what === "reprice" ? current.offer.price : undefined, transaction: receipt.transactionHash },
    () => done(listingId, current),
  );
}
