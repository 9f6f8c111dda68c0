/**
 * `bazaar recommend [--account <address>] [--top <n>] [--aggregator <url>] [--participate] [--forget]`:
 * personal recommendations ranked on this machine (issue #16). The account's profile (its
 * history, user factor and the rounds it took part in) is kept with the CLI's other local
 * records (localState.ts, per deployment and account) and updated from the account's own
 * test-drives and purchases on the chain; the listings are ranked by the user factor and the
 * aggregator's public item factors, or, without an aggregator, by public on-chain signals
 * (cold start, said so). `--participate` runs one federated round: only clipped, noised item
 * updates are sent (sdk/src/recommend/buyerRecommendations.ts), and the month's ε is printed.
 * `--forget` deletes the history and the user factor; the ledger of rounds taken part in (round
 * numbers and times) stays while it holds any, so the month's ε cannot be reset by forgetting.
 */
import { randomUUID } from "node:crypto";
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
  listingIdOfItem,
  monthOf,
  participate,
  PARTICIPATION,
  PrivacyBudgetExhausted,
  profileFromJson,
  profileToJson,
  publicSignalsFromMarketEvents,
  recommendForBuyer,
  sendUpload,
  whyLine,
  withInteractions,
  type ColdStartReason,
  type Interaction,
  type ParticipationRound,
  type ParticipationStep,
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
      .description("models ranked for you on this machine from your own history (kept here, never sent), with why; --participate sends one noised update")
      .option("--account <address>", "whose recommendations (default: the configured account)")
      .option("--top <n>", "how many to show (1-100)", "10")
      .option("--aggregator <url>", `the recommendation aggregator (default: ${AGGREGATOR_URL_ENV}, else the running npm start's; without one: cold start from public signals)`)
      .option("--participate", `run one federated round: upload clipped, noised item updates only (every listing's, σ = ${PARTICIPATION.noiseMultiplier}) and print the month's ε`)
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
      const rounds = kept?.rounds ?? [];
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

    const published = aggregatorUrl ? await fetchFactors(aggregatorUrl, flags.participate === true) : undefined;
    const result = recommendForBuyer({
      profile,
      factors: published?.factors,
      candidates: open.map(({ listingId }) => itemIdOfListing(listingId)),
      signals: publicSignalsFromMarketEvents(events),
      promoted: open.filter(({ listing }) => listing.promotionTotal > 0n).map(({ listingId }) => itemIdOfListing(listingId)),
      limit: top,
    });

    let rounds = kept?.rounds ?? [];
    let toKeep: UserProfile = result.profile;
    let sent: { round: number; items: number; bytes: number } | undefined;
    if (flags.participate && published) {
      const step = participateWithinBudget(result.profile, published, rounds);
      // a fresh id per upload: the aggregator cannot link this account's rounds to each other
      await sendUpload(aggregatorUrl!, step.upload, randomUUID()).catch((error: unknown) => {
        throw new CliError(`the aggregator at ${aggregatorUrl} refused the upload: ${(error as Error).message}`);
      });
      toKeep = step.profile;
      rounds = [...rounds, step.round];
      sent = { round: step.upload.round, items: step.upload.itemIds.length, bytes: step.upload.values.byteLength };
    }
    writeStateRecord<KeptProfile>("profiles", scope, key, { profile: JSON.parse(profileToJson(toKeep)) as KeptProfile["profile"], rounds });

    const month = monthOf(Math.floor(Date.now() / 1000));
    const privacy = { month, ...epsilonSpent(rounds, month), delta: PARTICIPATION.delta, budget: PARTICIPATION.monthlyEpsilonBudget };
    const recommendations = result.ranked.map(({ itemId, source, because }) => ({
      listingId: listingIdOfItem(itemId),
      name: names.get(itemId),
      source,
      because: because.map(listingIdOfItem),
      why: source === "personal" ? whyLine(profile, because, nameOf) : source === "promoted" ? "promoted by its seller, matched to you on this machine" : "popular: public test-drives and purchases",
    }));
    printResult(globals(), { account, coldStart: result.coldStart, aggregator: aggregatorUrl, recommendations, historySize: profile.history.length, sent, privacy }, () =>
      [
        `Recommended for ${account} (ranked on this machine; your history stays here)`,
        ...(result.coldStart ? [coldStartNotice(result.coldStart, aggregatorUrl)] : []),
        ...(recommendations.length === 0 ? ["no open listing to recommend"] : []),
        ...recommendations.flatMap((r, i) => [`${String(i + 1).padStart(2)}. ${nameOf(Number(r.listingId) - 1)}${r.source === "promoted" ? "  [Promoted]" : ""}`, ...(r.why ? [`    ${r.why}`] : [])]),
        "",
        sent
          ? `sent round ${sent.round}: noised updates of ${sent.items} items (every listing's, so which ones you touched does not show; ${sent.bytes} bytes of values), nothing else`
          : "nothing was sent (run with --participate to help train the public item factors)",
        `privacy spent in ${month}: ε = ${privacy.epsilon.toFixed(2)} over ${privacy.rounds} round${privacy.rounds === 1 ? "" : "s"} (δ = ${privacy.delta}, monthly budget ε = ${privacy.budget})`,
      ].join("\n"),
    );
  });
}

function participateWithinBudget(profile: UserProfile, published: PublishedFactors, rounds: readonly ParticipationRound[]): ParticipationStep {
  try {
    return participate(profile, published.factors, published.round, rounds, Math.floor(Date.now() / 1000), cryptoRandom());
  } catch (error) {
    if (error instanceof PrivacyBudgetExhausted) throw new CliError(`not participating: ${error.message}`);
    throw error;
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

/** The aggregator's factors, or undefined (cold start) when it gives none it can use (unreachable, too large, malformed); a round needs them, so then it fails. */
async function fetchFactors(url: string, required: boolean): Promise<PublishedFactors | undefined> {
  try {
    return await fetchItemFactors(url);
  } catch (error) {
    if (required) throw new CliError(`cannot take part in a round: the aggregator at ${url} answered no factors (${(error as Error).message})`);
    console.error(`the aggregator at ${url} gave no usable factors (${(error as Error).message}); ranking by public signals instead`);
    return undefined;
  }
}

function coldStartNotice(reason: ColdStartReason, aggregatorUrl: string | undefined): string {
  if (reason === "no-history") return "cold start: no history of yours yet, so these are the most test-driven and bought listings (public on-chain signals)";
  return `cold start: ${aggregatorUrl ? "no item factors from the aggregator" : `no aggregator configured (--aggregator, ${AGGREGATOR_URL_ENV} or a running npm start)`}, so these are ranked by public on-chain signals (test-drives and purchases), not by your history`;
}

function storedProfile(kept: KeptProfile): UserProfile {
  try {
    return profileFromJson(JSON.stringify(kept.profile));
  } catch (error) {
    throw new CliError(`this machine's recommendation profile is damaged (${(error as Error).message}); run bazaar recommend --forget to start afresh`);
  }
}
