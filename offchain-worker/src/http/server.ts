/**
 * Builds the worker's fastify app: the routes, a raw-stream parser for
 * `application/octet-stream` uploads (the upload route streams them itself, so nothing is
 * buffered), and one error handler that turns every refusal into `{ error, message }`.
 */
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from "fastify";
import { HttpError, type ErrorBody } from "./httpError.ts";
import type { RouteContext } from "./routeContext.ts";
import { healthRoute } from "./routes/health.ts";
import { listingsRoute } from "./routes/listings.ts";
import { resultRoute } from "./routes/result.ts";
import { testStatusRoute } from "./routes/testStatus.ts";
import { uploadEvaluationRoute } from "./routes/uploadEvaluation.ts";

/** The app without routes, so its logger exists before the parts the routes need. */
export function createServer(logger: FastifyServerOptions["logger"]): FastifyInstance {
  const app = Fastify({ logger, forceCloseConnections: true });
  // Uploads are the only bodies: no JSON parsing, any other media type is a 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/octet-stream", (_request, payload, done) => done(null, payload));
  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    const { status, body } = toErrorResponse(error);
    if (status >= 500) request.log.error({ err: error }, "request failed");
    // The request body may be unread (refused before or while streaming): do not reuse the connection.
    if (request.method === "POST") reply.header("connection", "close");
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: "not_found", message: `no route ${request.method} ${request.url}` } satisfies ErrorBody),
  );
  return app;
}

export function registerRoutes(app: FastifyInstance, ctx: RouteContext): void {
  for (const route of [healthRoute, listingsRoute, testStatusRoute, resultRoute, uploadEvaluationRoute]) route(app, ctx);
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
