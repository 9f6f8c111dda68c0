/**
 * Where a worker's evaluations run: on this machine's evaluation threads (the default, SQLite
 * and nothing else), or, with a `queue` configured, on evaluation nodes through BullMQ in Redis.
 */
import type { FastifyBaseLogger } from "fastify";
import { DEFAULTS, type WorkerConfig } from "../config.ts";
import { EvaluationPool } from "../evaluation/evaluationPool.ts";
import type { Evaluations } from "../evaluation/evaluations.ts";
import type { EvaluatorOptions } from "../evaluation/evaluator.ts";
import { QueuedEvaluations } from "./queuedEvaluations.ts";

export function startEvaluations(config: WorkerConfig, moduleUrl: string, options: EvaluatorOptions, log: FastifyBaseLogger): Promise<Evaluations> {
  if (config.queue) return QueuedEvaluations.start(config.queue, log);
  return EvaluationPool.start(config.threads ?? DEFAULTS.threads, moduleUrl, options);
}
