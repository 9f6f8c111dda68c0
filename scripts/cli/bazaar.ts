#!/usr/bin/env node
/**
 * `bazaar`: ModelBazaar's command line (`npm run bazaar -- <command>`, or the package's bin).
 * Every command has --help; --json prints machine-readable output; failures print one
 * sentence and exit non-zero. Keys come from the environment or a keystore, never from argv.
 */
import { Command, CommanderError } from "commander";
import { reportFailure } from "./cliError.ts";
import { registerModelCheck } from "./commands/modelCheck.ts";
import { registerWorkerStart } from "./commands/workerStart.ts";
import type { GlobalOptions } from "./output.ts";

export function buildProgram(): Command {
  const program = new Command("bazaar")
    .description("ModelBazaar: test-drive, buy and sell machine-learning models with trust")
    .option("--json", "print machine-readable JSON")
    .showHelpAfterError()
    .exitOverride();
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  registerModelCheck(program.command("model").description("seller tools for model files"), globals);
  registerWorkerStart(program.command("worker").description("the seller's evaluation worker"));
  return program;
}

export async function runCli(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode; // commander printed the usage error or help
    return reportFailure(error);
  }
}

if (import.meta.main) process.exitCode = await runCli(process.argv.slice(2));
