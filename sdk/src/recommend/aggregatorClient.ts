/**
 * Talking to an aggregator (aggregator/ in this repository, or anyone's): download the public
 * item factors (a round's contribution goes through secureRoundClient.ts). A refusal throws an AggregatorError with the
 * aggregator's own sentence. The aggregator may be hostile: every request has a timeout, and an
 * answer is read only up to the most a valid one can take (FACTORS_BODY_MAX_BYTES; an error's
 * sentence, 64 KiB): aggregatorRequest.ts.
 */
import { answerJson, refusal, withTimeout, type AggregatorRequestOptions } from "./aggregatorRequest.ts";
import { FACTORS_BODY_MAX_BYTES, parseFactorsBody, type PublishedFactors } from "./factorsWire.ts";

/** The current item factors and the round they open. */
export async function fetchItemFactors(aggregatorUrl: string, options: AggregatorRequestOptions = {}): Promise<PublishedFactors> {
  return withTimeout(aggregatorUrl, options, async (signal) => {
    const response = await fetch(new URL("/factors", aggregatorUrl), { signal });
    if (!response.ok) throw await refusal(response);
    return parseFactorsBody(await answerJson(response, FACTORS_BODY_MAX_BYTES, "factors"));
  });
}
