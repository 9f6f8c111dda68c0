/**
 * The listing policy suggestion in words, the same for `bazaar list` and the dApp's listing
 * form: what extraction to 90 % fidelity costs under the seller's terms against the price,
 * and the terms and worker noise that would make it cost more.
 */
import { formatEther } from "viem";
import type { ListingPolicySuggestion } from "./extractionPolicy.ts";

/** Two sentences: the verdict on the seller's terms, then the suggestion. */
export function policySuggestionLines(suggestion: ListingPolicySuggestion, price: bigint): [verdict: string, suggestion: string] {
  const { costUnderTerms: cost } = suggestion;
  const verdict =
    `extraction: a copy agreeing with this model on 90% of inputs took at least ${suggestion.queriesFor90.toLocaleString("en-US")} test-drive queries (${suggestion.basis}); ` +
    `under these terms they cost ${formatEther(cost.wei)} ETH in ${cost.testDrives} test-drive${cost.testDrives === 1 ? "" : "s"} (gas aside), ` +
    (suggestion.meets ? `more than the price of ${formatEther(price)} ETH: the terms meet the suggestion` : `less than the price of ${formatEther(price)} ETH: the terms do not meet the suggestion`);
  // A cap helps only below the queries a copy takes; when minSamples is already at or above them, one test-drive suffices and only the fee prices it.
  const cap =
    suggestion.maxSamples < suggestion.queriesFor90
      ? `at most ${suggestion.maxSamples.toLocaleString("en-US")} samples per test-drive`
      : `no cap helps (your minSamples, ${suggestion.maxSamples.toLocaleString("en-US")}, already allows a copy in one test-drive: the fee alone prices it)`;
  const advice =
    `suggested: fee per extra sample at least ${formatEther(suggestion.feePerExtraSample)} ETH, deposit at least ${formatEther(suggestion.deposit)} ETH, ` +
    `${cap}, worker perturbationSigma ${suggestion.perturbationSigma}` +
    ` (adds ${suggestion.honestCostPoints.toFixed(2)} points RMS to an honest buyer's accuracy estimate at ${suggestion.honestTestSize.toLocaleString("en-US")} samples)`;
  return [verdict, advice];
}
