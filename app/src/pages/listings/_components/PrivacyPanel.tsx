/**
 * What recommendations cost the buyer's privacy, in plain words: what stays in this browser, what
 * is uploaded (one masked contribution of noised item updates a round, only while the buyer takes
 * part in the aggregator's federated training, which does not rank this list), the ε spent this
 * month by the SDK's Rényi-DP accounting in both readings, the switch to take part (off by default: an upload spends privacy, so it
 * waits for consent) and a button that clears the local history.
 */
import { PARTICIPATION } from "@modelbazaar/sdk/recommend";
import { Panel } from "../../../components/Panel.tsx";
import { firstLine } from "../../../components/States.tsx";
import type { useRecommendations } from "../../../hooks/useRecommendations.ts";
import { forgetKeptProfile, saveKeptProfile } from "../../../recommend/keptProfile.ts";

export function PrivacyPanel({ state }: { state: ReturnType<typeof useRecommendations> }) {
  const { account, kept, privacy } = state;
  return (
    <Panel id="privacy-title" title="Your privacy">
      <ul className="list-disc space-y-1 pl-5 text-sm">
        <li>
          <strong>Stays on this device:</strong> the models you open, test-drive and buy here ({kept.profile.history.length} kept), your taste factor, and the ranking itself.
        </li>
        <li>
          <strong>Ranked with:</strong> model factors this browser learns from the market's public test-drives and purchases, the same for everyone; nothing is asked of the aggregator for it.
        </li>
        <li>
          <strong>Uploaded, only if you take part in the aggregator's federated training (its factors do not rank your list):</strong> one masked contribution a round: updates of every listing's item factor (so which ones you touched does not show), clipped, with your share of the round's Gaussian noise. Secure aggregation lets the aggregator learn only the sum of at least {PARTICIPATION.minParticipants} buyers' contributions. Never your history or your taste factor.
        </li>
        <li data-testid="epsilon">
          <strong>Privacy spent in {privacy.month}:</strong> ε = {privacy.epsilon.toFixed(2)} over {privacy.rounds} round{privacy.rounds === 1 ? "" : "s"} against anyone reading the factors and an aggregator that follows the protocol; ε = {privacy.uploadEpsilon.toFixed(2)} if the aggregator fabricated every other participant (δ = {PARTICIPATION.delta}; at most ε = {PARTICIPATION.monthlyEpsilonBudget} a month).
        </li>
      </ul>
      {account ? (
        <div className="flex flex-col gap-3">
          <label className="label cursor-pointer justify-start gap-3 text-sm text-base-content">
            <input
              type="checkbox"
              className="toggle toggle-primary"
              checked={kept.participating}
              disabled={!state.aggregatorUrl}
              onChange={(event) => saveKeptProfile(account, { ...kept, participating: event.target.checked })}
            />
            Take part in federated training (send masked, noised updates)
          </label>
          {!state.aggregatorUrl ? <p className="text-sm text-base-content/80">No aggregator is configured, so there is nothing to take part in.</p> : null}
          {state.uploadError ? (
            <p role="alert" className="text-sm text-error">
              Upload not sent: {firstLine(state.uploadError)}
            </p>
          ) : null}
          <button type="button" className="btn btn-outline btn-sm self-start" onClick={() => forgetKeptProfile(account)}>
            Clear my local history
          </button>
          <p className="text-xs text-base-content/80">Your on-chain test-drives and purchases are public anyway and are read again from the chain.</p>
        </div>
      ) : (
        <p className="text-sm text-base-content/80">Connect a wallet to keep a private history in this browser.</p>
      )}
    </Panel>
  );
}
