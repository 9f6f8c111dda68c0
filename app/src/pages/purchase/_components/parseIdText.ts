/** An id from a route ("7" -> 7n); undefined for anything that is not a positive integer. */
export function parseIdText(text: string | undefined): bigint | undefined {
  return text !== undefined && /^[1-9]\d{0,18}$/.test(text) ? BigInt(text) : undefined;
}
