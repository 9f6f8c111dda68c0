/**
 * `bazaar worker start --config worker.json`: runs the seller's evaluation worker until
 * Ctrl-C (offchain-worker/src/runWorker.ts). The config format is in offchain-worker/README.md.
 */
import type { Command } from "commander";
import { runWorker, SIGNER_KEY_ENV } from "../../../offchain-worker/src/runWorker.ts";

export function registerWorkerStart(worker: Command): void {
  worker
    .command("start")
    .description(`serve test-drives of your listings (the signer key comes from ${SIGNER_KEY_ENV})`)
    .requiredOption("-c, --config <worker.json>", "the worker's config file")
    .action(async ({ config }: { config: string }) => runWorker(config));
}
