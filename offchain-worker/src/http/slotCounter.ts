/**
 * Slots held at once under several limits together, e.g. per test, per signer and in total:
 * a slot is taken under one key of each limit, or under none when any of them is at its limit.
 * What the worker limits this way (uploads being received, requests waiting for the chain)
 * says its own refusal.
 */
export type SlotTaken = { readonly release: () => void };
export type SlotRefused<D extends string> = { readonly full: D; readonly limit: number };

export class SlotCounter<D extends string> {
  readonly #limits: Readonly<Record<D, number>>;
  readonly #counts = new Map<string, number>();

  constructor(limits: Readonly<Record<D, number>>) {
    this.#limits = limits;
  }

  /** One slot under `keys[d]` for every limit `d` (checked in `keys`' order); the release is idempotent. */
  take(keys: Readonly<Record<D, string>>): SlotTaken | SlotRefused<D> {
    const held = (Object.entries(keys) as [D, string][]).map(([limit, key]) => [limit, `${limit}\u0000${key}`] as const);
    for (const [limit, key] of held) {
      if ((this.#counts.get(key) ?? 0) >= this.#limits[limit]) return { full: limit, limit: this.#limits[limit] };
    }
    for (const [, key] of held) this.#bump(key, 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        for (const [, key] of held) this.#bump(key, -1);
      },
    };
  }

  #bump(key: string, by: number): void {
    const next = (this.#counts.get(key) ?? 0) + by;
    if (next === 0) this.#counts.delete(key);
    else this.#counts.set(key, next);
  }
}
