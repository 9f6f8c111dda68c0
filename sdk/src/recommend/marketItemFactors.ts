/**
 * The item factors the buyer's device ranks with, learned on the device from the market's public
 * events: who test-drove (`TestOpened`) and who bought (`PurchaseOpened`) which listing is on
 * the chain for everyone, so every client computes the same factors from the same events, and
 * nothing private goes in (browsing never reaches the chain). It is the study's "MF on public
 * on-chain events only" (docs/studies/recommendation.md: recall@20 0.343 against 0.358 for
 * centralized MF on everything, and 0.019 for the aggregator's factors at the noise buyers'
 * uploads carry), with the study's settings: implicit ALS (centralizedTrainer.ts) of dimension
 * 16, user and item regularization 5, 10 iterations, from seeded random factors (seed 16).
 *
 * Cost: each iteration solves one d × d system per buyer and per listing and adds d² per
 * interaction, so O(iterations · ((buyers + listings) · d³ + interactions · d²)) arithmetic, with
 * at most `maxInteractions` (the most recent) interactions taken in; memory is dimension × 8
 * bytes per listing up to the highest listing id touched (128 bytes at d = 16).
 */
import type { Address } from "viem";
import type { MarketEvent } from "../audit/collectEvents.ts";
import { trainCentralized } from "./centralizedTrainer.ts";
import type { Interaction } from "./feedback.ts";
import type { ItemFactors } from "./itemFactors.ts";
import { interactionsFromMarketEvents } from "./marketInteractions.ts";
import { seededRandom } from "./randomSource.ts";

/** The fixed settings every client trains with (change them and clients rank differently). */
export const MARKET_FACTORS = { dimension: 16, iterations: 10, regularization: 5, seed: 16, maxInteractions: 100_000 } as const;

/**
 * Item factors from the public part of `histories` (one interaction list per buyer; browses are
 * left out, as they never reach the chain), or undefined when there is no public interaction to
 * learn from. A listing no one test-drove or bought gets a zero factor (no factor: rankListings
 * ranks it by its public signals). Deterministic: the same histories give the same factors.
 */
export function publicItemFactors(histories: readonly (readonly Interaction[])[]): ItemFactors | undefined {
  const kept = mostRecent(histories.map((history, buyer) => history.filter((i) => i.kind !== "browse").map((interaction) => ({ buyer, interaction }))).flat(), MARKET_FACTORS.maxInteractions);
  if (kept.length === 0) return undefined;
  const byBuyer = histories.map((): Interaction[] => []);
  for (const { buyer, interaction } of kept) byBuyer[buyer]!.push(interaction);
  const itemCount = Math.max(...kept.map(({ interaction }) => interaction.itemId)) + 1;
  const { dimension, iterations, regularization, seed } = MARKET_FACTORS;
  return trainCentralized(
    byBuyer.filter((history) => history.length > 0),
    { itemCount, dimension, iterations, regularization },
    seededRandom(seed),
  ).items;
}

/** The factors of the market's public events (collectEvents' `market`), buyers taken in address order so that the order of the events does not matter. */
export function marketItemFactors(events: readonly MarketEvent[]): ItemFactors | undefined {
  const byBuyer = interactionsFromMarketEvents(events);
  return publicItemFactors([...byBuyer.keys()].sort(byAddress).map((buyer) => byBuyer.get(buyer)!));
}

const byAddress = (a: Address, b: Address) => (a < b ? -1 : a > b ? 1 : 0);

/** The `cap` most recent interactions (ties broken by buyer, listing and kind, so the choice is the same everywhere), in their original order. */
function mostRecent<T extends { readonly buyer: number; readonly interaction: Interaction }>(all: readonly T[], cap: number): readonly T[] {
  if (all.length <= cap) return all;
  const order = (x: T, y: T) => y.interaction.timestamp - x.interaction.timestamp || x.buyer - y.buyer || x.interaction.itemId - y.interaction.itemId || x.interaction.kind.localeCompare(y.interaction.kind);
  return [...all].sort(order).slice(0, cap);
}
