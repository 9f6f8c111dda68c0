/**
 * The buyer's recommendation profile as this browser keeps it (issue #16): its history (pages of
 * models it opened here, plus its own test-drives and purchases read from the chain), its user
 * factor, the rounds it took part in and whether it takes part at all, in localStorage under a
 * key per deployment (kept/keptRecords.ts's prefix: chain id and market) and account. None of it
 * is ever sent: the only thing that leaves is a round's noised item updates (useRecommendations.ts).
 */
import type { Address } from "viem";
import { emptyProfile, keptRounds, profileFromJson, profileToJson, recordInteraction, type ParticipationRound, type UserProfile } from "@modelbazaar/sdk/recommend";
import { keptPrefix, forgetKept, saveKept } from "../kept/keptRecords.ts";
import { deployment } from "../marketConfig.ts";

export interface KeptProfile {
  readonly profile: UserProfile;
  readonly rounds: readonly ParticipationRound[];
  /** Off unless the buyer turns it on: uploads spend privacy, so they need consent. */
  readonly participating: boolean;
}

const EMPTY: KeptProfile = { profile: emptyProfile(), rounds: [], participating: false };

/** Listeners of any change, so every component showing the profile re-reads it. */
const listeners = new Set<() => void>();

export function onKeptProfileChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function keyOf(account: Address): string {
  return `${keptPrefix("recommend", deployment.chainId, deployment.market)}.${account.toLowerCase()}`;
}

/**
 * The account's kept profile, or an empty one: a damaged record is treated as none and
 * overwritten on the next save, except for its well-formed rounds (keptRounds), which stay, so
 * damage never resets the month's ε.
 */
export function readKeptProfile(account: Address): KeptProfile {
  const text = localStorage.getItem(keyOf(account));
  if (text === null) return EMPTY;
  let record: { profile?: unknown; rounds?: unknown; participating?: unknown } = {};
  try {
    record = (JSON.parse(text) ?? {}) as typeof record;
  } catch {
    return EMPTY;
  }
  const rounds = keptRounds(record.rounds);
  try {
    return { profile: profileFromJson(JSON.stringify(record.profile)), rounds, participating: record.participating === true };
  } catch {
    return { ...EMPTY, rounds };
  }
}

export function saveKeptProfile(account: Address, kept: KeptProfile): void {
  saveKept(keyOf(account), JSON.stringify({ profile: JSON.parse(profileToJson(kept.profile)) as unknown, rounds: kept.rounds, participating: kept.participating }));
  for (const listener of listeners) listener();
}

/**
 * Deletes the account's history and factor from this browser and turns participation off; the
 * ledger of rounds it took part in (round numbers and times) stays while it holds any, so the
 * month's ε cannot be reset by clearing.
 */
export function forgetKeptProfile(account: Address): void {
  const { rounds } = readKeptProfile(account);
  if (rounds.length > 0) return saveKeptProfile(account, { ...EMPTY, rounds });
  forgetKept(keyOf(account));
  for (const listener of listeners) listener();
}

/**
 * Records that the account opened listing `itemId`'s page now; opening it again straight after
 * (a reload, React's development double render) adds nothing: the last entry is that browse already.
 */
export function recordBrowse(account: Address, itemId: number): void {
  const kept = readKeptProfile(account);
  const last = kept.profile.history.at(-1);
  if (last?.kind === "browse" && last.itemId === itemId) return;
  saveKeptProfile(account, { ...kept, profile: recordInteraction(kept.profile, { itemId, kind: "browse", timestamp: Math.floor(Date.now() / 1000) }) });
}
