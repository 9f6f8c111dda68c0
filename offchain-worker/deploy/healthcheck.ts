/**
 * The container's health probe (Dockerfile HEALTHCHECK): exits 0 when the worker's GET /health
 * answers 200 within 8 s (database and chain both serve), 1 otherwise, printing why. The URL is
 * MODELBAZAAR_HEALTH_URL (default http://127.0.0.1:8787/health).
 */
const url = process.env.MODELBAZAAR_HEALTH_URL ?? "http://127.0.0.1:8787/health";

try {
  const response = await fetch(url, { signal: AbortSignal.timeout(8_000) });
  if (!response.ok) {
    console.error(`${url} answered ${response.status}: ${await response.text()}`);
    process.exit(1);
  }
} catch (error) {
  console.error(`${url} cannot be reached: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
