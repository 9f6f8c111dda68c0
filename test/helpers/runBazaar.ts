/**
 * Runs the `bazaar` CLI as a user does: a child process of this Node (scripts/cli/bazaar.ts),
 * resolving with its exit code and what it printed, whatever the code (a failure is an answer
 * the tests check, not a rejection).
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const BAZAAR = new URL("../../scripts/cli/bazaar.ts", import.meta.url).pathname;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunBazaarOptions {
  /** Set over this process's environment; undefined unsets a variable. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /** Killed after this long (then `code` is null); default 120 s. */
  readonly timeoutMs?: number;
}

export async function runBazaar(args: readonly string[], options: RunBazaarOptions = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BAZAAR, ...args], {
      env: { ...process.env, ...options.env },
      cwd: options.cwd,
      timeout: options.timeoutMs ?? 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as CliResult;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
