/**
 * Builds the worker's fastify app: the routes, a raw-stream parser for
 * `application/octet-stream` uploads (the upload and delivery routes stream them themselves, so
 * nothing is buffered), CORS for the configured origins, the server's connection cap and
 * request timeout, and one error handler that turns every refusal into `{ error, message }`
 * and counts each 4xx by its code in the metrics.
 */
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from "fastify";
import { allowOrigins } from "./cors.ts";
import type { WorkerMetrics } from "../metrics/workerMetrics.ts";
import { HttpError, type ErrorBody } from "./httpError.ts";
import type { RouteContext } from "./routeContext.ts";
import { deliveryRoutes } from "./routes/delivery.ts";
import { healthRoute } from "./routes/health.ts";
import { listingsRoute } from "./routes/listings.ts";
import { metricsRoute } from "./routes/metrics.ts";
import { resultRoute } from "./routes/result.ts";
import { testStatusRoute } from "./routes/testStatus.ts";
import { uploadEvaluationRoute } from "./routes/uploadEvaluation.ts";

export interface ServerOptions {
  /** Browser origins allowed to call the API (CORS). */
  readonly corsOrigins: readonly string[];
  /** Open connections at most: more are dropped before a request is read, so a flood cannot use up the worker's file descriptors. */
  readonly maxConnections: number;
  /** Backstop for a request that is not answered in time (the upload routes enforce their own deadline first). */
  readonly requestTimeoutMs: number;
  /** Where refusals are counted. */
  readonly metrics: WorkerMetrics;
}

/** The app without routes, so its logger exists before the parts the routes need. */
export function createServer(logger: FastifyServerOptions["logger"], options: ServerOptions): FastifyInstance {
  const app = Fastify({ logger, forceCloseConnections: true, requestTimeout: options.requestTimeoutMs });
  app.server.maxConnections = options.maxConnections;
  allowOrigins(app, options.corsOrigins);
  // Uploads are the only bodies: no JSON parsing, any other media type is a 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/octet-stream", (_request, payload, done) => done(null, payload));
  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    const { status, body } = toErrorResponse(error);
    // The worker's own failures are logged with their stack; a refusal is the client's doing: one line, no stack.
    if (status >= 500) request.log.error({ err: error }, "request failed");
    else {
      request.log.info({ statusCode: status, error: body.error }, body.message);
      options.metrics.rejected(status, body.error);
    }
    // The request body may be unread (refused before or while streaming): do not reuse the connection.
    if (request.method === "POST" || request.method === "PUT") reply.header("connection", "close");
    if (error instanceof HttpError && error.retryAfterSeconds !== undefined) reply.header("retry-after", String(error.retryAfterSeconds));
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    options.metrics.rejected(404, "not_found");
    return reply.code(404).send({ error: "not_found", message: `no route ${request.method} ${request.url}` } satisfies ErrorBody);
  });
  return app;
}

export function registerRoutes(app: FastifyInstance, ctx: RouteContext): void {
  for (const route of [healthRoute, metricsRoute, listingsRoute, testStatusRoute, resultRoute, uploadEvaluationRoute, deliveryRoutes]) route(app, ctx);
}

function toErrorResponse(error: FastifyError | HttpError): { status: number; body: ErrorBody } {
  if (error instanceof HttpError) return { status: error.status, body: { error: error.code, message: error.message } };
  const status = error.statusCode ?? 500;
  if (status === 415) {
    return {
      status,
      body: { error: "unsupported_media_type", message: "send the upload as application/octet-stream" },
    };
  }
  if (status >= 500) return { status, body: { error: "internal", message: "the worker failed to handle this request; see its log" } };
  return { status, body: { error: error.code ?? "bad_request", message: error.message } };
}
