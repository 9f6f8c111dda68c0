/**
 * Runs an evaluation node from a config file until SIGINT/SIGTERM (`main.ts --role evaluator`):
 * JSON log lines on stdout (and a copy in MODELBAZAAR_LOG_DIR when set, as the front's) with the
 * Redis URL's secrets redacted, "evaluation node ready" (with that URL, redacted) once it takes
 * jobs, and a clean stop that finishes the evaluations it holds.
 */
import { pino } from "pino";
import { loggerOptions, redactError, redactor } from "../logging.ts";
import { untilStopped } from "../untilStopped.ts";
import { startEvaluationNode } from "./evaluationNode.ts";
import { readEvaluationNodeConfig } from "./evaluationNodeConfig.ts";

/** Resolves once a signal has stopped the node. */
export async function runEvaluationNode(configPath: string, name: string | undefined): Promise<void> {
  const config = readEvaluationNodeConfig(configPath, name);
  const redact = redactor({ urls: [config.queue.redisUrl] });
  const sink = loggerOptions(config.logLevel, redact, config.logDestination);
  const log = sink ? pino({ level: sink.level, base: { node: config.name } }, sink.stream) : pino({ level: "silent" });
  let node;
  try {
    node = await startEvaluationNode(config, log);
  } catch (error) {
    throw redactError(error, redact);
  }
  log.info({ threads: node.threads, pid: process.pid, redis: config.queue.redisUrl }, "evaluation node ready");
  await untilStopped(node, () => log.info("stopping the evaluation node (finishing the evaluations it holds)..."));
}
