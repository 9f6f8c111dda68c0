/**
 * CORS for the worker's API (@fastify/cors): a browser page on one of the configured origins
 * (config `corsOrigins`; none by default) may call every route, preflight included, sending the
 * upload and delivery headers and reading the result's and the delivery's headers. Any other
 * origin gets no CORS headers, so the browser keeps its page out. CORS is no authentication:
 * every upload and delivery is authorized by its signature, whatever its origin.
 */
import cors from "@fastify/cors";
import type { FastifyInstance } from "fastify";
import { DELIVERY_HEADERS, RESULT_HEADERS, UPLOAD_AUTH_HEADERS } from "@modelbazaar/sdk/worker";

/** How long a browser may cache a preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE_S = 600;

export function allowOrigins(app: FastifyInstance, origins: readonly string[]): void {
  if (origins.length === 0) return;
  void app.register(cors, {
    origin: [...origins],
    methods: ["GET", "POST", "PUT"],
    allowedHeaders: ["content-type", ...Object.values(UPLOAD_AUTH_HEADERS)],
    exposedHeaders: [...Object.values(RESULT_HEADERS), ...Object.values(DELIVERY_HEADERS)],
    maxAge: PREFLIGHT_MAX_AGE_S,
  });
}
