/**
 * "Recommended for you", computed in this browser (issue #16): the connected account's kept
 * profile (recommend/keptProfile.ts) plus its own test-drives and purchases read from the chain,
 * ranked by the SDK's recommendForBuyer against item factors this browser learns from the
 * market's public test-drives and purchases (marketItemFactors; the same for every client), else
 * a cold start from public on-chain signals. The aggregator (`__MODELBAZAAR__`'s aggregatorUrl)
 * does not rank: while the buyer takes part in its federated training (off by default), each new
 * round gets one masked contribution under secure aggregation (clipped, noised item updates, of
 * which the aggregator learns only the round's sum), within the month's ε budget.
 */
import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import type { Address } from "viem";
import { useAccount, usePublicClient } from "wagmi";
import { collectEvents } from "@modelbazaar/sdk/audit";
import {
  cryptoRandom,
  epsilonSpent,
  fetchItemFactors,
  interactionsFromMarketEvents,
  itemIdOfListing,
  marketItemFactors,
  monthOf,
  publicSignalsFromMarketEvents,
  recommendForBuyer,
  takePartInRound,
  withInteractions,
  type ParticipationLedger,
} from "@modelbazaar/sdk/recommend";
import { deployment, market } from "../marketConfig.ts";
import { onKeptProfileChange, readKeptProfile, saveKeptProfile, type KeptProfile } from "../recommend/keptProfile.ts";

/** What the ranking needs of a listing. */
export interface RecommendableListing {
  readonly id: bigint;
  readonly status: number;
  readonly promotionTotal: bigint;
}

const ACTIVE = 1;

export function useRecommendations(listings: readonly RecommendableListing[], limit = 5) {
  const { address } = useAccount();
  const kept = useKeptProfile(address);
  const publicClient = usePublicClient();
  const events = useQuery({
    queryKey: ["recommend", "events", deployment.chainId, deployment.market],
    queryFn: async () => (await collectEvents(publicClient!, deployment)).market,
    enabled: publicClient !== undefined,
    staleTime: 15_000,
  });
  const aggregatorUrl = market.aggregatorUrl;
  const factors = useMemo(() => (events.data ? marketItemFactors(events.data) : undefined), [events.data]);

  const recommendations = useMemo(() => {
    if (!events.data) return undefined;
    const own = address ? (interactionsFromMarketEvents(events.data).get(address.toLowerCase() as Address) ?? []) : [];
    const open = listings.filter((l) => l.status === ACTIVE);
    return recommendForBuyer({
      profile: withInteractions(kept.profile, own),
      factors,
      candidates: open.map((l) => itemIdOfListing(l.id)),
      signals: publicSignalsFromMarketEvents(events.data),
      promoted: open.filter((l) => l.promotionTotal > 0n).map((l) => itemIdOfListing(l.id)),
      limit,
    });
  }, [events.data, factors, address, kept, listings, limit]);

  const upload = useParticipation(address, kept, aggregatorUrl, recommendations?.profile);
  const month = monthOf(Math.floor(Date.now() / 1000));
  return {
    account: address,
    kept,
    recommendations,
    isLoading: events.isLoading,
    error: events.error,
    aggregatorUrl,
    privacy: { month, ...epsilonSpent(kept.rounds, month) },
    uploadError: upload.error,
  };
}

/** The account's kept profile, re-read whenever this browser changes it. */
function useKeptProfile(address: Address | undefined): KeptProfile {
  const [version, setVersion] = useState(0);
  useEffect(() => onKeptProfileChange(() => setVersion((v) => v + 1)), []);
  return useMemo(() => (address ? readKeptProfile(address) : { profile: { factor: [], history: [] }, rounds: [], participating: false }), [address, version]);
}

/**
 * One secure round per aggregator round while the buyer takes part and has a history, against the
 * aggregator's current factors (fetched only then): it waits for the round's roster, and the
 * ledger records the round just before the masked contribution is sent (so it counts whatever
 * the aggregator answers).
 */
function useParticipation(address: Address | undefined, kept: KeptProfile, aggregatorUrl: string | undefined, profile: KeptProfile["profile"] | undefined) {
  const [error, setError] = useState<unknown>();
  const sentFor = useRef<string | undefined>(undefined);
  const factors = useQuery({
    queryKey: ["recommend", "factors", aggregatorUrl],
    queryFn: () => fetchItemFactors(aggregatorUrl!),
    enabled: aggregatorUrl !== undefined && kept.participating,
    retry: false,
    staleTime: 60_000,
  });
  const published = factors.data;
  useEffect(() => {
    if (!address || !kept.participating || !published || !profile || profile.history.length === 0) return;
    if (kept.rounds.some((r) => r.round === published.round)) return;
    const attempt = `${address}:${published.round}`;
    if (sentFor.current === attempt) return;
    sentFor.current = attempt;
    void (async () => {
      try {
        // the ledger as this browser keeps it now (another tab may have added a round), the round saved before the upload leaves
        const ledger: ParticipationLedger = {
          read: () => readKeptProfile(address).rounds,
          append: (round) => {
            const latest = readKeptProfile(address);
            saveKeptProfile(address, { ...latest, profile, rounds: [...latest.rounds, round] });
          },
        };
        // a fresh client id and key pair per round: the aggregator cannot link this buyer's rounds by them
        await takePartInRound(aggregatorUrl!, profile, published, ledger, Math.floor(Date.now() / 1000), cryptoRandom());
        setError(undefined);
      } catch (failure) {
        setError(failure);
      }
    })();
  }, [address, kept, aggregatorUrl, published, profile]);
  return { error: factors.error ?? error };
}
