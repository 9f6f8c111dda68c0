/**
 * Keeps a started service (the worker's front, an evaluation node) running until SIGINT or
 * SIGTERM, then says so once and closes it: resolves when the close has finished. A second
 * signal while closing changes nothing.
 */
export function untilStopped(service: { close(): Promise<void> }, announce: () => void): Promise<void> {
  return new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      announce();
      void service.close().then(resolve);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
