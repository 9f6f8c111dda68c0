/**
 * Runs the seller's worker from a config file until SIGINT/SIGTERM, then closes it cleanly:
 * what `bazaar worker start` and `node offchain-worker/src/main.ts` both do. The signer's
 * key comes from the environment or an encrypted key file (signerKeySource.ts), never from argv.
 */
import { readConfigFile, SIGNER_KEY_ENV } from "./config.ts";
import { workerSignerKey } from "./signerKeySource.ts";
import { startWorker, type WorkerHandle } from "./startWorker.ts";
import { untilStopped } from "./untilStopped.ts";

export { SIGNER_KEY_ENV };

/** Starts the worker, prints where it listens, and resolves once a signal has stopped it. */
export async function runWorker(configPath: string, log: (line: string) => void = console.log): Promise<void> {
  const worker: WorkerHandle = await startWorker(readConfigFile(configPath, await workerSignerKey()));
  log(`ModelBazaar worker ${worker.address} listening on ${worker.url} (resumed ${worker.resumedJobs} jobs)`);
  await untilStopped(worker, () => log("stopping the worker (finishing the current write)..."));
}
