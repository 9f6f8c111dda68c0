/**
 * The buyer's local profile: its user factor and its interaction history. It lives only on the
 * buyer's device (the dApp's localStorage, the CLI's profile file): nothing in the recommender
 * sends it anywhere, and the federated upload's type has no field that could hold it
 * (noisedUpload.ts). Serialized as JSON for storage.
 */
import type { Interaction, InteractionKind } from "./feedback.ts";

export interface UserProfile {
  /** The user factor, fitted on the device (empty until the first fit). */
  readonly factor: readonly number[];
  /** What the buyer did, oldest first. */
  readonly history: readonly Interaction[];
}

/** A profile with no history and no factor yet (cold start). */
export function emptyProfile(): UserProfile {
  return { factor: [], history: [] };
}

/** The profile with one more interaction (history stays in time order). */
export function recordInteraction(profile: UserProfile, interaction: Interaction): UserProfile {
  const history = [...profile.history, interaction].sort((a, b) => a.timestamp - b.timestamp);
  return { ...profile, history };
}

/** The profile with a newly fitted user factor. */
export function withFactor(profile: UserProfile, factor: ArrayLike<number>): UserProfile {
  return { ...profile, factor: Array.from(factor) };
}

const KINDS: readonly InteractionKind[] = ["browse", "testDrive", "buy"];

/** The profile as the JSON a device stores. */
export function profileToJson(profile: UserProfile): string {
  return JSON.stringify(profile);
}

/** A stored profile back; throws a RangeError naming what is wrong with a damaged one. */
export function profileFromJson(json: string): UserProfile {
  const value = JSON.parse(json) as { factor?: unknown; history?: unknown };
  if (!Array.isArray(value.factor) || !value.factor.every((x) => typeof x === "number" && Number.isFinite(x))) {
    throw new RangeError("the stored profile's factor is not a list of finite numbers");
  }
  if (!Array.isArray(value.history)) throw new RangeError("the stored profile has no history list");
  const history = value.history.map((entry: unknown, index) => {
    const { itemId, kind, timestamp } = (entry ?? {}) as Partial<Interaction>;
    if (!Number.isInteger(itemId) || itemId! < 0 || !KINDS.includes(kind!) || !Number.isFinite(timestamp)) {
      throw new RangeError(`the stored profile's interaction #${index} is not { itemId, kind: ${KINDS.join("|")}, timestamp }`);
    }
    return { itemId: itemId!, kind: kind!, timestamp: timestamp! };
  });
  return { factor: value.factor as number[], history };
}
