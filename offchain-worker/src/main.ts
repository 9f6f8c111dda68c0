/**
 * The worker's own entry point (the same as `bazaar worker start`):
 *
 *   MODELBAZAAR_WORKER_KEY=0x… node offchain-worker/src/main.ts --config worker.json
 *
 * The config file is described in offchain-worker/README.md. The signer's private key comes
 * from the environment only, never from argv (which other users of the machine can read).
 */
import { parseArgs } from "node:util";
import { runWorker, SIGNER_KEY_ENV } from "./runWorker.ts";

const { values } = parseArgs({ options: { config: { type: "string", short: "c" } } });
if (!values.config) {
  console.error(`usage: ${SIGNER_KEY_ENV}=0x… node offchain-worker/src/main.ts --config worker.json`);
  process.exit(2);
}

try {
  await runWorker(values.config);
  process.exit(0);
} catch (error) {
  console.error(`worker start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
