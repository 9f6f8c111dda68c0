/**
 * `bazaar audit [--from-block n]`: rebuilds every listing, test-drive, dispute, auction and
 * sale from the chain's events, re-verifies every dispute proof and upheld complaint from
 * calldata, checks every payout and the market's money (sdk/src/audit/auditMarket.ts), and
 * prints the report: a table per flow and a summary line, or --json. Exits 0 only if every
 * check held, 1 with the failing checks listed otherwise.
 */
import type { Command } from "commander";
import { auditMarket, formatAuditReport, type AuditReport } from "@modelbazaar/sdk/audit";
import { DEFAULT_ARTIFACTS_DIR, loadDisputeCircuitKeys } from "../../lib/disputeCircuitKeys.ts";
import { addChainOptions } from "../chainOptions.ts";
import { CliError } from "../cliError.ts";
import { printResult, type GlobalOptions } from "../output.ts";
import { readSession, type ChainOptions } from "../session.ts";

interface AuditFlags extends ChainOptions {
  fromBlock?: string;
  blockRange: string;
  keys: string;
}

export function registerAudit(program: Command, globals: () => GlobalOptions): void {
  addChainOptions(
    program
      .command("audit")
      .description("check every trade of the market from its events: proofs, winners, prices, refunds and balances (exit 1 if any check fails)")
      .option("--from-block <n>", "first block to scan (default: the deployment's; a later start skips the money checks)")
      .option("--block-range <n>", "most blocks per log query", "10000")
      .option("--keys <dir>", "directory of the dispute circuits' verification keys", DEFAULT_ARTIFACTS_DIR),
  ).action(async (flags: AuditFlags) => {
    const fromBlock = flags.fromBlock === undefined ? undefined : blockNumber(flags.fromBlock, "--from-block");
    const blockRange = blockNumber(flags.blockRange, "--block-range");
    if (blockRange < 1n) throw new CliError("--block-range must be at least 1");
    const { publicClient, deployment } = await readSession(flags);
    const latest = await publicClient.getBlockNumber();
    if (fromBlock !== undefined && fromBlock > latest) throw new CliError(`--from-block ${fromBlock} is after the chain's last block ${latest}`);
    const report = await auditMarket(publicClient, deployment, { verificationKeys: loadDisputeCircuitKeys(flags.keys), fromBlock, toBlock: latest, blockRange });
    printResult(globals(), report, () => formatAuditReport(report));
    if (!report.ok) throw new CliError(failureSentence(report));
  });
}

function blockNumber(value: string, option: string): bigint {
  if (!/^\d+$/.test(value)) throw new CliError(`${option} must be a block number, not "${value}"`);
  return BigInt(value);
}

function failureSentence(report: AuditReport): string {
  const failed = report.findings.filter((f) => !f.ok);
  return `the audit failed: ${report.summary} (${[...new Set(failed.map((f) => f.check))].join(", ")})`;
}
