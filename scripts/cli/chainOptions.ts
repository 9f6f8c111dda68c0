/**
 * The options every chain-facing `bazaar` command takes (`--rpc`, `--deployment`; see
 * session.ts for their defaults), added in one place so their help reads the same everywhere.
 */
import type { Command } from "commander";

export function addChainOptions(command: Command): Command {
  return command
    .option("--rpc <url>", "JSON-RPC URL (default: MODELBAZAAR_RPC_URL or http://127.0.0.1:8545)")
    .option("--deployment <file>", "deployment record (default: deployments/<chainId>.json)");
}
