/**
 * The aggregator's HTTP API (Fastify) for secure aggregation: `GET /health`, `GET /factors` (the
 * public item factors and the round they open), `POST /rounds/:round/enrol` (a client's round
 * public key), `GET /rounds/:round/roster[?wait=1]` (the closed roster, or 202 `{ enrolled,
 * needed }` while enrolling; with wait=1 held until the roster closes or `rosterWaitMs` passed)
 * and `POST /rounds/:round/masked` (a member's masked vector). Bodies are checked by the SDK's
 * secure-round parsers. Every refusal is a 4xx `{ error, message }`: a malformed body or round
 * 400, a sender not in the roster 403, a wrong round, a closed enrolment, a round not collecting
 * or a repeat 409, a body over the byte cap 413, anything but JSON 415.
 */
import cors from "@fastify/cors";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from "fastify";
import { factorsBody, parseEnrolmentBody, parseMaskedUploadBody, rosterBody, SecureRoundFormatError } from "@modelbazaar/sdk/recommend";
import { RoundRefusal, type RoundBook } from "./roundBook.ts";

export interface AggregatorServerOptions {
  readonly book: RoundBook;
  readonly maxUploadBytes: number;
  readonly corsOrigins: readonly string[];
  /** A connection idle this long, or a request not received whole within it, is dropped. */
  readonly requestTimeoutMs: number;
  /** How long a roster request with wait=1 is held while the round enrols. */
  readonly rosterWaitMs: number;
  /** Most roster requests held at once; more are answered at once (a flood cannot pile up held requests). */
  readonly maxHeldRosterRequests: number;
}

interface RoundRoute {
  Params: { round: string };
  Querystring: { wait?: string };
}

export function aggregatorServer(options: AggregatorServerOptions): FastifyInstance {
  const { book } = options;
  const holdMs = Math.min(options.rosterWaitMs, options.requestTimeoutMs / 2); // answered before the idle connection is dropped
  const app = Fastify({
    logger: false,
    bodyLimit: options.maxUploadBytes,
    forceCloseConnections: true,
    connectionTimeout: options.requestTimeoutMs,
    requestTimeout: options.requestTimeoutMs,
  });
  app.removeContentTypeParser("text/plain"); // JSON only: any other body is a 415
  if (options.corsOrigins.length > 0) void app.register(cors, { origin: [...options.corsOrigins], methods: ["GET", "POST"], allowedHeaders: ["content-type"] });
  app.setErrorHandler((error: FastifyError | RoundRefusal | SecureRoundFormatError, _request, reply) => {
    if (error instanceof RoundRefusal) return reply.code(error.status).send({ error: error.code, message: error.message });
    if (error instanceof SecureRoundFormatError) return reply.code(400).send({ error: "malformed", message: error.message });
    const status = error.statusCode ?? 500;
    if (status === 413) return reply.code(413).send({ error: "upload_too_large", message: `a request body is at most ${options.maxUploadBytes} bytes` });
    if (status === 415) return reply.code(415).send({ error: "unsupported_media_type", message: "send the body as application/json" });
    if (status < 500) return reply.code(status).send({ error: "bad_request", message: error.message });
    return reply.code(500).send({ error: "internal", message: "the aggregator failed to handle this request" });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: "not_found", message: `no route ${request.method} ${request.url}` }));

  let held = 0;
  app.get("/health", async () => ({ ok: true, round: book.published.round, state: book.state, ...book.counts, heldRosterRequests: held }));
  app.get("/factors", async () => factorsBody(book.published));
  app.post<RoundRoute>("/rounds/:round/enrol", async (request, reply) => {
    book.enrol(roundOf(request.params.round), parseEnrolmentBody(request.body));
    return reply.code(202).send({ enrolled: true });
  });
  app.get<RoundRoute>("/rounds/:round/roster", async (request, reply) => {
    const round = roundOf(request.params.round);
    if (request.query.wait === "1" && book.state === "enrolling" && book.published.round === round && held < options.maxHeldRosterRequests) {
      held++;
      await nextChange(book, holdMs, reply).finally(() => held--);
    }
    const answer = book.roster(round);
    return "members" in answer ? reply.code(200).send(rosterBody(answer)) : reply.code(202).send(answer);
  });
  app.post<RoundRoute>("/rounds/:round/masked", async (request, reply) => {
    book.acceptMasked(roundOf(request.params.round), parseMaskedUploadBody(request.body, book.contributionLength));
    return reply.code(202).send({ accepted: true });
  });
  return app;
}

function roundOf(text: string): number {
  const round = /^\d{1,15}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(round)) throw new SecureRoundFormatError(`the round in the path must be a non-negative integer, got "${text}"`);
  return round;
}

/** Resolves on the book's next transition, after `holdMs`, or when the client went away. */
function nextChange(book: RoundBook, holdMs: number, reply: FastifyReply): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      book.events.off("change", done);
      reply.raw.off("close", done);
      resolve();
    };
    const timer = setTimeout(done, holdMs);
    book.events.on("change", done);
    reply.raw.on("close", done);
  });
}
