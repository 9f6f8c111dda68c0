/**
 * How the `bazaar` CLI fails: one sentence on stderr and a non-zero exit code, never a stack
 * trace (unless BAZAAR_DEBUG=1). `CliError` is for what the user can fix (a missing file, a
 * bad option); anything else is reported with its message and exit code 1 as well.
 */
import { terminalSafe } from "./output.ts";

export class CliError extends Error {
  override readonly name = "CliError";
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

export function reportFailure(error: unknown): number {
  const missing = (error as NodeJS.ErrnoException | undefined)?.code === "ENOENT" ? (error as NodeJS.ErrnoException).path : undefined;
  const message = missing ? `cannot read ${missing}: no such file` : error instanceof Error ? error.message : String(error);
  console.error(`bazaar: ${terminalSafe(message)}`);
  if (process.env.BAZAAR_DEBUG === "1" && error instanceof Error) console.error(error.stack);
  return error instanceof CliError ? error.exitCode : 1;
}
