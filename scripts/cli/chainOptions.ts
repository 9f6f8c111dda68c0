/**
 * The options every chain-facing `bazaar` command takes (`--rpc`, `--deployment`; see
 * session.ts for how the defaults are found), added in one place so their help reads the same everywhere.
 */
import type { Command } from "commander";

export function addChainOptions(command: Command): Command {
  return command
    .option("--rpc <url>", "JSON-RPC URL (default: MODELBAZAAR_RPC_URL, else 127.0.0.1:MODELBAZAAR_RPC_PORT, else the npm start running on this machine, else http://127.0.0.1:8545)")
    .option("--deployment <file>", "deployment record (default: that npm start's, else deployments/<chainId>.json)");
}
