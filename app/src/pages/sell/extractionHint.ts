/**
 * The hint under the listing form's test-policy fields: the SDK's listing policy suggestion
 * against model extraction (sdk/src/listings/extractionPolicy.ts) for the price and test policy
 * typed so far, in the sentences `bazaar list` prints. Advice only: it never blocks listing.
 */
import { parseEther } from "viem";
import { policySuggestionLines, suggestListingPolicy } from "@modelbazaar/sdk/listings";
import type { TermsFormValues } from "./termsForm.ts";

/** The hint's sentences, or undefined while a field it needs is not a valid amount or count yet. */
export function extractionHintOf(values: TermsFormValues): readonly string[] | undefined {
  const text = (path: string): string => (values[path] ?? "").trim();
  const price = text("sale.price");
  if (price === "") return ["Sold by auction: there is no price to weigh the cost of extracting the model through test-drives against."];
  const counts = ["freeSamples", "minSamples", "maxSamples"].map((field) => text(`testPolicy.${field}`));
  if (counts.some((count) => !/^\d+$/.test(count))) return undefined;
  const [freeSamples, minSamples, maxSamples] = counts.map(Number) as [number, number, number];
  try {
    const testPolicy = { deposit: parseEther(text("testPolicy.deposit")), feePerExtraSample: parseEther(text("testPolicy.feePerExtraSample")), freeSamples, minSamples, maxSamples };
    const priceWei = parseEther(price);
    return policySuggestionLines(suggestListingPolicy({ price: priceWei, testPolicy }), priceWei);
  } catch {
    return undefined; // an amount not parseable yet, a zero price or min > max: the parser's sentences say so on checking
  }
}
