/**
 * The aggregator's HTTP API (Fastify): `GET /health`, `GET /factors` (the public item factors
 * and the round they open) and `POST /rounds/:round/updates` (one client's noised upload, JSON,
 * checked by the SDK's parseUploadBody). Every refusal is a 4xx `{ error, message }`: a body over
 * the byte cap 413, anything but JSON 415, a malformed upload 400, a wrong round or a second
 * upload of a client in a round 409.
 */
import cors from "@fastify/cors";
import Fastify, { type FastifyError, type FastifyInstance } from "fastify";
import { factorsBody, parseUploadBody, UploadFormatError } from "@modelbazaar/sdk/recommend";
import { RoundRefusal, type RoundBook } from "./roundBook.ts";

export interface AggregatorServerOptions {
  readonly book: RoundBook;
  readonly maxUploadBytes: number;
  readonly corsOrigins: readonly string[];
  /** A connection idle this long, or a request not received whole within it, is dropped. */
  readonly requestTimeoutMs: number;
  /** Called after an upload filled its round. */
  readonly onRoundFull: () => void;
}

export function aggregatorServer(options: AggregatorServerOptions): FastifyInstance {
  const { book } = options;
  const app = Fastify({
    logger: false,
    bodyLimit: options.maxUploadBytes,
    forceCloseConnections: true,
    connectionTimeout: options.requestTimeoutMs,
    requestTimeout: options.requestTimeoutMs,
  });
  app.removeContentTypeParser("text/plain"); // JSON only: any other body is a 415
  if (options.corsOrigins.length > 0) void app.register(cors, { origin: [...options.corsOrigins], methods: ["GET", "POST"], allowedHeaders: ["content-type"] });
  app.setErrorHandler((error: FastifyError | RoundRefusal, _request, reply) => {
    if (error instanceof RoundRefusal) return reply.code(error.status).send({ error: error.code, message: error.message });
    if (error instanceof UploadFormatError) return reply.code(400).send({ error: "malformed_upload", message: error.message });
    const status = error.statusCode ?? 500;
    if (status === 413) return reply.code(413).send({ error: "upload_too_large", message: `an upload is at most ${options.maxUploadBytes} bytes` });
    if (status === 415) return reply.code(415).send({ error: "unsupported_media_type", message: "send the upload as application/json" });
    if (status < 500) return reply.code(status).send({ error: "bad_request", message: error.message });
    return reply.code(500).send({ error: "internal", message: "the aggregator failed to handle this request" });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: "not_found", message: `no route ${request.method} ${request.url}` }));

  app.get("/health", async () => ({ ok: true, round: book.published.round, pending: book.pending }));
  app.get("/factors", async () => factorsBody(book.published));
  app.post<{ Params: { round: string } }>("/rounds/:round/updates", async (request, reply) => {
    const { factors } = book.published;
    const upload = parseUploadBody(request.body, { dimension: factors.dimension, itemCount: factors.count });
    if (String(upload.round) !== request.params.round) throw new UploadFormatError(`the body's round ${upload.round} is not the path's ${request.params.round}`);
    if (book.accept(upload)) options.onRoundFull();
    return reply.code(202).send({ accepted: true, round: upload.round });
  });
  return app;
}
