/**
 * "Recommended for you" on the listings page: the connected buyer's list, ranked in this browser
 * (hooks/useRecommendations.ts), each pick with its why-line from the buyer's own history, a
 * promoted pick marked "Promoted", a cold start said so, and the privacy panel beside it.
 */
import { listingIdOfItem, whyLine, type ColdStartReason } from "@modelbazaar/sdk/recommend";
import { Panel } from "../../../components/Panel.tsx";
import { firstLine, LoadingState } from "../../../components/States.tsx";
import { modelName } from "../../../format.ts";
import { useRecommendations, type RecommendableListing } from "../../../hooks/useRecommendations.ts";
import { PrivacyPanel } from "./PrivacyPanel.tsx";

export function Recommendations({ listings }: { listings: readonly (RecommendableListing & { readonly offer: { readonly metadataURI: string } })[] }) {
  const state = useRecommendations(listings);
  const nameOf = (itemId: number) => {
    const listing = listings.find((l) => l.id === listingIdOfItem(itemId));
    return listing ? modelName(listing.offer.metadataURI) : `listing #${listingIdOfItem(itemId)}`;
  };
  const { recommendations } = state;
  return (
    <div className="mb-6 grid gap-4 lg:grid-cols-[2fr_1fr]">
      <Panel id="recommended-title" title="Recommended for you">
        {state.isLoading || !recommendations ? (
          state.error ? <p role="alert">Cannot read the market's events: {firstLine(state.error)}</p> : <LoadingState>Ranking on this device…</LoadingState>
        ) : (
          <>
            {recommendations.coldStart ? (
              <p className="text-sm text-base-content/80" data-testid="cold-start">
                {coldStartSentence(recommendations.coldStart, state.aggregatorUrl, state.aggregatorError)}
              </p>
            ) : null}
            {recommendations.ranked.length === 0 ? (
              <p className="text-sm text-base-content/80">No open listing to recommend.</p>
            ) : (
              <ol className="list bg-base-100" aria-label="Recommended models">
                {recommendations.ranked.map(({ itemId, source, because }) => (
                  <li key={itemId} className="list-row" data-testid="recommendation">
                    <div>
                      <a className="link link-primary font-semibold" href={`#/model/${listingIdOfItem(itemId)}`}>
                        {nameOf(itemId)}
                      </a>{" "}
                      <span className="text-sm text-base-content/80">#{String(listingIdOfItem(itemId))}</span>
                      {source === "promoted" ? <span className="badge badge-warning badge-sm ml-2">Promoted</span> : null}
                      <p className="text-sm text-base-content/80" data-testid="why">
                        {source === "personal" && because.length > 0
                          ? whyLine(recommendations.profile, because, nameOf)
                          : source === "promoted"
                            ? "Promoted by its seller, matched to you on this device"
                            : source === "popular"
                              ? "Popular: public test-drives and purchases"
                              : "Close to your taste"}
                      </p>
                    </div>
                  </li>
                ))}
              </ol>
            )}
          </>
        )}
      </Panel>
      <PrivacyPanel state={state} />
    </div>
  );
}

function coldStartSentence(reason: ColdStartReason, aggregatorUrl: string | undefined, aggregatorError: unknown): string {
  if (reason === "no-history") return "Cold start: you have no history here yet, so these are the most test-driven and bought models (public on-chain signals). Open, test-drive or buy models to make them yours.";
  const why = aggregatorUrl ? `the recommendation aggregator gave no usable factors (${firstLine(aggregatorError)})` : "no recommendation aggregator is configured";
  return `Cold start: ${why}, so these are ranked by public on-chain signals (test-drives and purchases), not by your history.`;
}
