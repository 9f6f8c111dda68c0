/**
 * `npm run demo`: a scripted, headless run of the whole marketplace on a local chain of its
 * own, with real CKKS test-drives (the worker), real Groth16 refund proofs and real fair
 * exchange. A seller lists a good and a bad model; buyer A test-drives the good one, buys it
 * and receives the exact file; buyer B test-drives the bad one and is refunded by a proof;
 * three bidders compete in a sealed-bid auction; a cheating seller is caught by a complaint;
 * the audit checks the whole history. Prints a trade report; exits 0 only if every check held.
 *
 * Environment: MODELBAZAAR_DEMO_RPC_PORT (default: a free port). The deployment record goes to
 * a temp dir (deployments/31337.json is left alone); the worker and the node stop at the end.
 */
import { demoContext } from "./demo/context.ts";
import { formatStep, formatSummary } from "./demo/report.ts";
import { startDemoStack, type DemoStack } from "./demo/stack.ts";
import { auctionStep } from "./demo/steps/auction.ts";
import { auditStep } from "./demo/steps/audit.ts";
import { badModelStep } from "./demo/steps/badModel.ts";
import { cheatingSellerStep } from "./demo/steps/cheatingSeller.ts";
import { goodModelStep } from "./demo/steps/goodModel.ts";
import { listingsStep } from "./demo/steps/listings.ts";
import { runStep, type StepResult } from "./demo/trade.ts";

const STEPS = [
  ["A seller lists a good and a bad model", listingsStep],
  ["Buyer A test-drives the good model, buys it and receives the exact file", goodModelStep],
  ["Buyer B test-drives the bad model and is refunded by a ZK proof", badModelStep],
  ["Three bidders compete in a sealed-bid auction", auctionStep],
  ["A cheating seller reveals the key of a corrupted ciphertext", cheatingSellerStep],
  ["The audit checks the whole history", auditStep],
] as const;

const started = performance.now();
const log = (line: string) => console.log(`[setup] ${line}`);
let stack: DemoStack | undefined;
let exitCode = 1;
try {
  console.log("ModelBazaar demo: the whole marketplace on a local chain (real HE, real proofs, real fair exchange)\n");
  stack = await startDemoStack(log);
  console.log(`[setup] ready in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  const ctx = demoContext(stack);
  const results: StepResult[] = [];
  for (const [title, body] of STEPS) {
    const result = await runStep(ctx.market, title, (step) => body(ctx, step));
    results.push(result);
    console.log(formatStep(results.length, result));
  }
  const summary = formatSummary(results, performance.now() - started);
  console.log(summary.text);
  exitCode = summary.ok ? 0 : 1;
} catch (error) {
  console.error(`DEMO FAILED: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await stack?.stop();
}
process.exit(exitCode);
