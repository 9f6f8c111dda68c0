/**
 * The message of anything thrown, for logs and error sentences.
 */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
