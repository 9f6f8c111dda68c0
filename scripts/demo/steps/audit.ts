/**
 * Step 6: `bazaar audit`'s code over the whole history: rebuilds every listing, test-drive,
 * dispute, auction and purchase from the events, re-verifies the dispute proofs from calldata
 * and checks payouts and conservation of funds. Every check must hold.
 */
import { auditMarket, formatAuditReport } from "@modelbazaar/sdk/audit";
import { loadDisputeCircuitKeys } from "../../lib/disputeCircuitKeys.ts";
import type { DemoContext } from "../context.ts";
import type { Step } from "../trade.ts";

export async function auditStep(ctx: DemoContext, step: Step): Promise<void> {
  const { publicClient, deployment } = ctx.market;
  const report = await auditMarket(publicClient, deployment, { verificationKeys: loadDisputeCircuitKeys(), toBlock: await publicClient.getBlockNumber() });
  for (const line of formatAuditReport(report).split("\n")) step.say(line);
  step.check(`the audit reports every check held (${report.summary})`, report.ok);
}
