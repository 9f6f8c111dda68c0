/**
 * The worker's background loops (the chain watcher, the dispute agent, the key revealer): one
 * pass, then the next `intervalMs` after it ends, never two at once, until `close()`, which
 * waits for the pass in flight. A pass that throws is reported to `onError` and the loop goes
 * on; a pass reads `closed` to stop early.
 */
export class PollingLoop {
  readonly #pass: () => Promise<void>;
  readonly #intervalMs: number;
  readonly #onError: (error: unknown) => void;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(pass: () => Promise<void>, intervalMs: number, onError: (error: unknown) => void) {
    this.#pass = pass;
    this.#intervalMs = intervalMs;
    this.#onError = onError;
  }

  get closed(): boolean {
    return this.#closed;
  }

  start(): void {
    if (this.#closed) return;
    this.#running = this.#pass()
      .catch(this.#onError)
      .finally(() => {
        if (!this.#closed) this.#timer = setTimeout(() => this.start(), this.#intervalMs);
      });
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#running;
  }
}
