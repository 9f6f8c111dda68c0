/**
 * `bazaar recommend [--account <address>] [--top <n>] [--aggregator <url>] [--participate] [--forget]`:
 * personal recommendations ranked on this machine (issue #16). The account's profile (its
 * history, user factor and the rounds it took part in) is kept with the CLI's other local
 * records (localState.ts, per deployment and account) and updated from the account's own
 * test-drives and purchases on the chain; the listings are ranked by the user factor against item
 * factors learned on this machine from the market's public test-drives and purchases
 * (marketItemFactors), or, for an account with no history or a chain with no public activity, by
 * public on-chain signals (cold start, said so). No aggregator is asked for the ranking.
 * `--participate` takes part in one round of the aggregator's federated training (opt-in: its
 * factors do not rank) under secure aggregation: one masked contribution of clipped, noised item
 * updates, of which the aggregator learns only the round's sum
 * (sdk/src/recommend/participation.ts), and the month's ε is printed in both readings.
 * `--forget` deletes the history and the user factor; the ledger of rounds taken part in (round
 * numbers and times) stays while it holds any, so the month's ε cannot be reset by forgetting.
 */
import type { Command } from "commander";
import type { Address } from "viem";
import { collectEvents } from "@modelbazaar/sdk/audit";
import { readListings } from "@modelbazaar/sdk/actions";
import {
  cryptoRandom,
  epsilonSpent,
  fetchItemFactors,
  interactionsFromMarketEvents,
  itemIdOfListing,
  keptRounds,
  listingIdOfItem,
  marketItemFactors,
  monthOf,
  PARTICIPATION,
  PrivacyBudgetExhausted,
  profileFromJson,
  profileToJson,
  publicSignalsFromMarketEvents,
  recommendForBuyer,
  takePartInRound,
  whyLine,
  withInteractions,
  type ColdStartReason,
  type Interaction,
  type ParticipationLedger,
  type ParticipationReceipt,
  type ParticipationRound,
  type PublishedFactors,
  type UserProfile,
} from "@modelbazaar/sdk/recommend";
import { callerAccount } from "../callerAccount.ts";
import { addChainOptions } from "../chainOptions.ts";
import { CliError } from "../cliError.ts";
import { forgetStateRecord, readState, writeStateRecord } from "../localState.ts";
import { readListingCard } from "../metadataDocument.ts";
import { printResult, type GlobalOptions } from "../output.ts";
import { readSession, resolveEndpoint, type ChainOptions } from "../session.ts";

interface RecommendFlags extends ChainOptions {
  account?: string;
  top?: string;
  aggregator?: string;
  participate?: boolean;
  forget?: boolean;
}

/** What this machine keeps per deployment and account (`profiles` records): never sent anywhere. */
export interface KeptProfile {
  readonly profile: { readonly factor: readonly number[]; readonly history: readonly Interaction[] };
  readonly rounds: readonly ParticipationRound[];
}

export const AGGREGATOR_URL_ENV = "MODELBAZAAR_AGGREGATOR_URL";

export function registerRecommend(program: Command, globals: () => GlobalOptions): void {
  addChainOptions(
    program
      .command("recommend")
      .description("models ranked for you on this machine from your own history (kept here, never sent) and the market's public test-drives and purchases, with why; --participate sends one masked, noised contribution")
      .option("--account <address>", "whose recommendations (default: the configured account)")
      .option("--top <n>", "how many to show (1-100)", "10")
      .option("--aggregator <url>", `the recommendation aggregator --participate sends to (default: ${AGGREGATOR_URL_ENV}, else the running npm start's); the ranking never asks it`)
      .option("--participate", `take part in one round of the aggregator's federated training under secure aggregation (waits for at least ${PARTICIPATION.minParticipants} participants): one masked contribution of clipped, noised updates of every listing, of which the aggregator learns only the round's sum; prints the month's ε`)
      .option("--forget", "delete this account's history and user factor from this machine (the ledger of rounds taken part in stays, so the month's ε still counts)"),
  ).action(async (flags: RecommendFlags) => {
    const top = parseTop(flags.top ?? "10");
    const account = callerAccount(flags.account);
    if (!account) throw new CliError("recommend needs an account: give --account <address>, or set MODELBAZAAR_PRIVATE_KEY or MODELBAZAAR_KEYSTORE");
    if (flags.forget && flags.participate) throw new CliError("--forget and --participate cannot go together: forgetting deletes the profile a round would use");
    const aggregatorUrl = parseAggregatorUrl(flags.aggregator ?? (process.env[AGGREGATOR_URL_ENV] || resolveEndpoint(flags).stack?.aggregatorUrl));
    if (flags.participate && !aggregatorUrl) throw new CliError(`--participate needs an aggregator: give --aggregator <url>, set ${AGGREGATOR_URL_ENV}, or run npm start (which starts one)`);
    const { publicClient, deployment, recordScope } = await readSession(flags);
    const scope = await recordScope();
    const key = account.toLowerCase();
    const kept = readState<KeptProfile>("profiles", scope)[key];
    if (flags.forget) {
      const rounds = keptRounds(kept?.rounds);
      if (rounds.length > 0) writeStateRecord<KeptProfile>("profiles", scope, key, { profile: { factor: [], history: [] }, rounds });
      else forgetStateRecord("profiles", scope, key);
      printResult(globals(), { account, forgotten: true, roundsKept: rounds.length }, () =>
        `forgot ${account}'s recommendation history and user factor on this machine${rounds.length > 0 ? ` (kept: the ${rounds.length} round${rounds.length === 1 ? "" : "s"} it took part in, so their ε still counts)` : ""}`,
      );
      return;
    }

    const events = (await collectEvents(publicClient, deployment)).market;
    const profile = withInteractions(kept ? storedProfile(kept) : { factor: [], history: [] }, interactionsFromMarketEvents(events).get(key as Address) ?? []);
    const entries = await readListings(publicClient, deployment);
    const open = entries.filter(({ listing }) => listing.status === 1);
    const names = new Map(await Promise.all(entries.map(async ({ listingId, listing }) => [itemIdOfListing(listingId), (await readListingCard(listing.offer)).name] as const)));
    const nameOf = (itemId: number) => `#${listingIdOfItem(itemId)} ${names.get(itemId) ?? "(not listed here)"}`;

    const result = recommendForBuyer({
      profile,
      factors: marketItemFactors(events),
      candidates: open.map(({ listingId }) => itemIdOfListing(listingId)),
      signals: publicSignalsFromMarketEvents(events),
      promoted: open.filter(({ listing }) => listing.promotionTotal > 0n).map(({ listingId }) => itemIdOfListing(listingId)),
      limit: top,
    });

    const keptProfile = JSON.parse(profileToJson(result.profile)) as KeptProfile["profile"];
    // The ledger as kept now (another run may have added a round meanwhile), its round written before the upload leaves.
    const ledger: ParticipationLedger = {
      read: () => keptRounds(readState<KeptProfile>("profiles", scope)[key]?.rounds),
      append: (round) => writeStateRecord<KeptProfile>("profiles", scope, key, { profile: keptProfile, rounds: [...ledger.read(), round] }),
    };
    let sent: { round: number; participants: number } | undefined;
    if (flags.participate) {
      const receipt = await participateWithinBudget(aggregatorUrl!, result.profile, await fetchFactors(aggregatorUrl!), ledger);
      sent = { round: receipt.round.round, participants: receipt.participants };
    }
    const rounds = ledger.read();
    writeStateRecord<KeptProfile>("profiles", scope, key, { profile: keptProfile, rounds });

    const month = monthOf(Math.floor(Date.now() / 1000));
    const privacy = { month, ...epsilonSpent(rounds, month), delta: PARTICIPATION.delta, budget: PARTICIPATION.monthlyEpsilonBudget };
    const recommendations = result.ranked.map(({ itemId, source, because }) => ({
      listingId: listingIdOfItem(itemId),
      name: names.get(itemId),
      source,
      because: because.map(listingIdOfItem),
      why: source === "personal" ? whyLine(profile, because, nameOf) : source === "promoted" ? "promoted by its seller, matched to you on this machine" : "popular: public test-drives and purchases",
    }));
    printResult(globals(), { account, coldStart: result.coldStart, ...(sent && { aggregator: aggregatorUrl }), recommendations, historySize: profile.history.length, sent, privacy }, () =>
      [
        `Recommended for ${account} (ranked on this machine; your history stays here)`,
        ...(result.coldStart ? [coldStartNotice(result.coldStart)] : []),
        ...(recommendations.length === 0 ? ["no open listing to recommend"] : []),
        ...recommendations.flatMap((r, i) => [`${String(i + 1).padStart(2)}. ${nameOf(Number(r.listingId) - 1)}${r.source === "promoted" ? "  [Promoted]" : ""}`, ...(r.why ? [`    ${r.why}`] : [])]),
        "",
        sent
          ? `took part in round ${sent.round} with ${sent.participants} participants: sent one masked contribution (clipped, noised updates of every listing, so which ones you touched does not show); the aggregator learns only the round's sum`
          : "nothing was sent (run with --participate to help train the aggregator's federated item factors)",
        `privacy spent in ${month}: ε = ${privacy.epsilon.toFixed(2)} over ${privacy.rounds} round${privacy.rounds === 1 ? "" : "s"} against anyone reading the factors and an aggregator that follows the protocol; ε = ${privacy.uploadEpsilon.toFixed(2)} if the aggregator fabricated every other participant (δ = ${privacy.delta}, monthly budget ε = ${privacy.budget})`,
      ].join("\n"),
    );
  });
}

/**
 * One round under secure aggregation; every refusal (budget, roster, aggregator) is a sentence
 * saying nothing was sent, and a failure once the upload was sent says the round counts.
 */
async function participateWithinBudget(url: string, profile: UserProfile, published: PublishedFactors, ledger: ParticipationLedger): Promise<ParticipationReceipt> {
  const keptBefore = ledger.read().length;
  try {
    return await takePartInRound(url, profile, published, ledger, Math.floor(Date.now() / 1000), cryptoRandom());
  } catch (error) {
    if (error instanceof PrivacyBudgetExhausted) throw new CliError(`not participating: ${error.message}`);
    if (ledger.read().length > keptBefore) throw new CliError(`round ${published.round} at ${url} failed after the masked contribution was sent (${(error as Error).message}); the round counts in this month's ε`);
    throw new CliError(`did not take part in round ${published.round} at ${url}: ${(error as Error).message}`);
  }
}

function parseTop(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 100) throw new CliError(`--top must be a whole number from 1 to 100, not "${text}"`);
  return n;
}

function parseAggregatorUrl(text: string | undefined): string | undefined {
  if (text === undefined || text === "") return undefined;
  try {
    const url = new URL(text);
    if (url.protocol === "http:" || url.protocol === "https:") return url.toString();
  } catch {
    // said below
  }
  throw new CliError(`the aggregator must be an http(s) URL, e.g. http://127.0.0.1:8790, not "${text}"`);
}

/** The aggregator's current factors, which a round needs: without them it fails with a sentence. */
async function fetchFactors(url: string): Promise<PublishedFactors> {
  try {
    return await fetchItemFactors(url);
  } catch (error) {
    throw new CliError(`cannot take part in a round: the aggregator at ${url} answered no factors (${(error as Error).message})`);
  }
}

function coldStartNotice(reason: ColdStartReason): string {
  if (reason === "no-history") return "cold start: no history of yours yet, so these are the most test-driven and bought listings (public on-chain signals)";
  return "cold start: no one has test-driven or bought a listing on this market yet, so there is nothing to learn item factors from; these are in listing order, not ranked by your history";
}

function storedProfile(kept: KeptProfile): UserProfile {
  try {
    return profileFromJson(JSON.stringify(kept.profile));
  } catch (error) {
    throw new CliError(`this machine's recommendation profile is damaged (${(error as Error).message}); run bazaar recommend --forget to start afresh`);
  }
}
