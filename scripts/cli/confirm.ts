/**
 * Asks a yes/no question at the terminal before a command stakes anything. `--yes` answers it
 * beforehand; without a terminal (a script, CI, the tests) there is nobody to ask, so the
 * command goes ahead, saying so, as it did before it asked: non-interactive runs keep working.
 */
import { createInterface } from "node:readline/promises";
import { CliError } from "./cliError.ts";

export async function confirmOrStop(question: string, { yes, nothingDone }: { readonly yes: boolean; readonly nothingDone: string }): Promise<void> {
  const { stdin, stderr } = process;
  if (yes) return;
  if (!stdin.isTTY) {
    stderr.write("no terminal to ask: going ahead (--yes says so explicitly)\n");
    return;
  }
  const prompt = createInterface({ input: stdin, output: stderr });
  try {
    const answer = (await prompt.question(`${question} [y/N] `)).trim().toLowerCase();
    if (answer !== "y" && answer !== "yes") throw new CliError(`stopped: ${nothingDone}`);
  } finally {
    prompt.close();
  }
}
