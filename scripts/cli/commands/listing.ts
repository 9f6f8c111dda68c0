/**
 * `bazaar listing pause|resume|reprice|sale|delist <listingId>`: the seller manages a listing
 * with the registry's own functions (sdk/src/actions/manageListing.ts): pause (no new
 * test-drives, purchases or auctions), resume, change a fixed price, switch between a fixed
 * price and auctions (as the dApp's seller dashboard does), delist for good. Each reads the listing
 * first and refuses, in a sentence, what the registry would refuse (not the seller, already
 * paused, delisted, an auction's price...), so nothing is sent that would fail; a change that
 * races another is phrased from the registry's custom error (sdk/src/errors/contractErrors.ts).
 */
import type { Command } from "commander";
import { formatEther, type Address, type Hash } from "viem";
import {
  delistListing,
  listingChangeRefusal,
  pauseListing,
  repriceListing,
  resumeListing,
  type ListingChange,
  LISTING_STATUSES,
  readListing,
  saleModeRefusal,
  switchSaleMode,
  type Listing,
  type SaleModeName,
  UnknownIdError,
} from "@modelbazaar/sdk/actions";
import { addChainOptions } from "../chainOptions.ts";
import { CliError } from "../cliError.ts";
import { printResult, type GlobalOptions } from "../output.ts";
import { writeSession, type ChainOptions, type WriteSession } from "../session.ts";
import { sendTransaction } from "../tx.ts";
import { parseEth, parseId } from "../values.ts";

const VERBING: Readonly<Record<ListingChange, string>> = { pause: "pausing", resume: "resuming", reprice: "repricing", delist: "delisting" };

interface SaleFlags extends ChainOptions {
  fixed?: string;
  auction?: boolean;
}
const AS_SELLER = "(as its seller: MODELBAZAAR_KEYSTORE or MODELBAZAAR_PRIVATE_KEY)";

export function registerListing(program: Command, globals: () => GlobalOptions): void {
  const listing = program
    .command("listing")
    .description("manage your listing: pause, resume, reprice, switch its sale mode or delist it (trades under way always resolve under its terms)");

  addChainOptions(listing.command("pause").description(`stop new test-drives, purchases and auctions of your listing until you resume it ${AS_SELLER}`))
    .argument("<listingId>", "your listing")
    .action(async (id: string, options: ChainOptions) => {
      await change(globals, options, id, listingChange("pause", (s, listingId) => pauseListing(s.contracts.registry, listingId), (listingId) =>
        `paused listing ${listingId}: no new test-drives, purchases or auctions until \`bazaar listing resume ${listingId}\`; those under way still resolve.`,
      ));
    });

  addChainOptions(listing.command("resume").description(`reopen your paused listing to test-drives, purchases and auctions ${AS_SELLER}`))
    .argument("<listingId>", "your paused listing")
    .action(async (id: string, options: ChainOptions) => {
      await change(globals, options, id, listingChange("resume", (s, listingId) => resumeListing(s.contracts.registry, listingId), (listingId) => `listing ${listingId} is active again.`));
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
        listingChange(
          "reprice",
          (s, listingId, current) => repriceListing(s.contracts.registry, listingId, current.offer, price),
          (listingId, current) =>
            `listing ${listingId} now costs ${formatEther(price)} ETH (was ${formatEther(current.offer.price)} ETH); a purchase sent at the old price is refused by the market, never charged the new one.`,
          price,
        ),
      );
    });

  addChainOptions(listing.command("sale").description(`switch your listing between a fixed price and auctions; auctions already open run to their end ${AS_SELLER}`))
    .argument("<listingId>", "your listing (active or paused)")
    .option("--fixed <eth>", "sell it at this fixed price in ETH, e.g. 0.75")
    .option("--auction", "sell it only through auctions (each auction sets its own reserve: `bazaar auction create`)")
    .action(async (id: string, flags: SaleFlags) => {
      if (flags.fixed === undefined && !flags.auction) throw new CliError("listing sale needs --fixed <eth> (a fixed price) or --auction");
      if (flags.fixed !== undefined && flags.auction) throw new CliError("listing sale takes --fixed <eth> or --auction, not both");
      const mode: SaleModeName = flags.auction ? "auction" : "fixed";
      const price = flags.fixed === undefined ? undefined : parseEth(flags.fixed, "the fixed price");
      await change(globals, flags, id, {
        action: "sale",
        verbing: "switching the sale mode of",
        refuse: (listingId, current, account) => saleModeRefusal(listingId, current, account, mode, price),
        send: (s, listingId, current) => switchSaleMode(s.contracts.registry, listingId, current.offer, mode, price),
        done: (listingId, current) =>
          mode === "auction"
            ? `listing ${listingId} is now sold only through auctions (it cost ${formatEther(current.offer.price)} ETH): start one with \`bazaar auction create ${listingId} --reserve <eth> …\`.`
            : `listing ${listingId} is now sold at a fixed price of ${formatEther(price!)} ETH (it was sold by auction; auctions already open run to their end).`,
        json: () => ({ saleMode: mode }),
      });
    });

  addChainOptions(listing.command("delist").description(`withdraw your listing for good: it can never be test-driven, bought or auctioned again (cannot be undone) ${AS_SELLER}`))
    .argument("<listingId>", "your listing")
    .action(async (id: string, options: ChainOptions) => {
      await change(globals, options, id, listingChange("delist", (s, listingId) => delistListing(s.contracts.registry, listingId), (listingId) =>
        `delisted listing ${listingId} for good: test-drives, purchases and auctions under way still resolve under its terms (\`bazaar withdraw\` collects what they pay you).`,
      ));
    });
}

/** One change of a listing: how it is named, why it cannot be made, how it is sent, what is said once made. */
interface Change {
  /** `action` in --json. */
  readonly action: string;
  /** For the transaction line: "<verbing> listing <id>: transaction 0x…". */
  readonly verbing: string;
  readonly refuse: (listingId: bigint, current: Listing, account: Address) => string | undefined;
  readonly send: (session: WriteSession, listingId: bigint, current: Listing) => Promise<Hash>;
  readonly done: (listingId: bigint, current: Listing) => string;
  /** More fields for --json. */
  readonly json?: (current: Listing) => Record<string, unknown>;
}

/** A pause, resume, reprice or delist, refused by the SDK's listingChangeRefusal. */
function listingChange(what: ListingChange, send: Change["send"], done: Change["done"], newPrice?: bigint): Change {
  return {
    action: what,
    verbing: VERBING[what],
    refuse: (listingId, current, account) => listingChangeRefusal(listingId, current, account, what, newPrice),
    send,
    done,
    ...(what === "reprice" ? { json: (current: Listing) => ({ previousPrice: current.offer.price }) } : {}),
  };
}

/** Reads the listing, refuses what cannot be done, sends the change and prints what it did. */
async function change(globals: () => GlobalOptions, options: ChainOptions, idText: string, { action, verbing, refuse, send, done, json }: Change): Promise<void> {
  const listingId = parseId(idText, "the listing id");
  const session = await writeSession(options);
  let current: Listing;
  try {
    current = await readListing(session.publicClient, session.deployment, listingId);
  } catch (error) {
    if (error instanceof UnknownIdError) throw new CliError(error.message);
    throw error;
  }
  const refusal = refuse(listingId, current, session.account.address);
  if (refusal) throw new CliError(refusal);
  const receipt = await sendTransaction(session.publicClient, `${verbing} listing ${listingId}`, () => send(session, listingId, current));
  const after = await readListing(session.publicClient, session.deployment, listingId);
  printResult(
    globals(),
    { listingId, action, status: LISTING_STATUSES[after.status], price: after.offer.saleMode === 0 ? after.offer.price : undefined, ...json?.(current), transaction: receipt.transactionHash },
    () => done(listingId, current),
  );
}
