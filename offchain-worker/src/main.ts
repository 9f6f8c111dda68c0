/**
 * The worker's own entry point (the same as `bazaar worker start`):
 *
 *   MODELBAZAAR_WORKER_KEY=0x… node offchain-worker/src/main.ts --config worker.json
 *
 * and, for a worker scaled out over several machines (offchain-worker/README.md), an
 * evaluation node, which needs no key:
 *
 *   node offchain-worker/src/main.ts --role evaluator --config worker.json [--name node-1]
 *
 * The config file is described in offchain-worker/README.md. The signer's private key comes
 * from the environment only, never from argv (which other users of the machine can read).
 */
import { parseArgs } from "node:util";
import { runWorker, SIGNER_KEY_ENV } from "./runWorker.ts";
import { runEvaluationNode } from "./queue/runEvaluationNode.ts";

const USAGE = [
  `usage: ${SIGNER_KEY_ENV}=0x… node offchain-worker/src/main.ts --config worker.json`,
  `       node offchain-worker/src/main.ts --role evaluator --config worker.json [--name node-1]`,
].join("\n");

const { values } = parseArgs({ options: { config: { type: "string", short: "c" }, role: { type: "string", default: "front" }, name: { type: "string" } } });
if (!values.config || (values.role !== "front" && values.role !== "evaluator")) {
  console.error(values.role !== "front" && values.role !== "evaluator" ? `unknown --role ${JSON.stringify(values.role)} (front or evaluator)\n${USAGE}` : USAGE);
  process.exit(2);
}

try {
  if (values.role === "evaluator") await runEvaluationNode(values.config, values.name);
  else await runWorker(values.config);
  process.exit(0);
} catch (error) {
  console.error(`${values.role === "evaluator" ? "evaluation node" : "worker"} start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
