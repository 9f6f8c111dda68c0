/**
 * One test-drive of the Iris listing in the production dApp, in headless Chromium, timed by
 * the page's own events (test/browser/testDriveJourney.ts records them): the check from the
 * file's change event to the page's "fits the listing" line, then each step the progress
 * panel marks current until the report appears. The chain is asked afterwards that the
 * test-drive was opened by this wallet with the commitment the page kept, and evaluated.
 * The baseline is the same test set through `bazaar test-drive` (a fresh Node process, as a
 * person at a terminal runs it), timed from spawn to exit.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Browser } from "playwright-core";
import { createPublicClient, defineChain, http, type Address, type Chain, type Hex } from "viem";
import { readTest } from "@modelbazaar/sdk/actions";
import { injectTestWallet } from "../../test/browser/injectedWallet.ts";
import { newTestContext } from "../../test/browser/localStack.ts";
import { journeyTimeline, keptTestDrive, openModelPage, pickTestSet, recordJourney, runTestDriveToReport } from "../../test/browser/testDriveJourney.ts";
import { connectTestWallet } from "../../test/browser/injectedWallet.ts";
import { ROOT } from "../zk/compile.ts";

/** The steps the progress panel (RunProgress.tsx) marks current, by its labels, in order. */
const STEPS = [
  ["encrypt", "Encrypt in this browser"],
  ["stake", "Stake the deposit and fee"],
  ["upload", "Sign and upload to the seller's worker"],
  ["evaluation", "Evaluated under encryption"],
  ["decrypt", "Decrypt in this browser"],
  ["receipt", "Check the on-chain receipt"],
] as const;
export type Phase = "check" | (typeof STEPS)[number][0];
/** The phases of a test-drive in the page, in order, with what marks each. */
export const PHASES: readonly (readonly [Phase, string])[] = [["check", "file picked → \"N samples fit listing #1\""], ...STEPS];

export interface BrowserTestDrive {
  /** check + from the click to the report, in milliseconds (the harness's own pause between the two is not counted). */
  readonly totalMs: number;
  readonly phasesMs: Record<Phase, number>;
  readonly testId: string;
  readonly correct: number;
}

export interface LocalMarket {
  readonly rpcUrl: string;
  readonly deployment: { market: Address; registry: Address };
}

export function localChain(rpcUrl: string): Chain {
  return defineChain({ id: 31337, name: "Local chain", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [rpcUrl] } } });
}

export async function browserTestDrive(browser: Browser, { appUrl, market, buyerKey, csv, samples }: { appUrl: string; market: LocalMarket; buyerKey: Hex; csv: string; samples: number }): Promise<BrowserTestDrive> {
  const chain = localChain(market.rpcUrl);
  const context = await newTestContext(browser, { viewport: { width: 1280, height: 900 } });
  try {
    const wallet = await injectTestWallet(context, { privateKey: buyerKey, chain, rpcUrl: market.rpcUrl });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await openModelPage(page, appUrl);
    await connectTestWallet(page);
    await recordJourney(page);
    await pickTestSet(page, { name: "iris-100.csv", csv, samples });
    await runTestDriveToReport(page, samples);
    if (errors.length > 0) throw new Error(`the page threw: ${errors.join("; ")}`);
    const timeline = await journeyTimeline(page);
    const at = (label: string): number => {
      const step = timeline.steps.find((s) => s.step === label);
      if (!step) throw new Error(`the progress panel never marked "${label}" current: ${JSON.stringify(timeline.steps)}`);
      return step.at;
    };
    const { picked, checked, started, reported } = timeline;
    if (picked === undefined || checked === undefined || started === undefined || reported === undefined) throw new Error(`the page's events are incomplete: ${JSON.stringify(timeline)}`);
    const phasesMs = { check: checked - picked } as Record<Phase, number>;
    STEPS.forEach(([phase, label], i) => (phasesMs[phase] = (i + 1 < STEPS.length ? at(STEPS[i + 1]![1]) : reported) - at(label)));

    const kept = await keptTestDrive(page);
    if (!kept) throw new Error("the page kept no test-drive");
    const view = await readTest(createPublicClient({ chain, transport: http(market.rpcUrl) }), market.deployment, BigInt(kept.testId));
    if (view.status !== "Evaluated" || view.test.buyer !== wallet.address || view.test.dataCommitment !== kept.dataCommitment) {
      throw new Error(`test-drive ${kept.testId} on-chain: ${view.status}, buyer ${view.test.buyer}, commitment ${view.test.dataCommitment}; the page kept ${kept.dataCommitment} for ${wallet.address}`);
    }
    return { totalMs: checked - picked + (reported - started), phasesMs, testId: kept.testId, correct: kept.predictions.filter((p, i) => p === kept.labels[i]).length };
  } finally {
    await context.close();
  }
}

/** `bazaar test-drive 1 <csv> --yes` as buyer `buyerKey`, from spawn to exit, in milliseconds. */
export async function cliTestDrive({ market, deploymentFile, buyerKey, csvFile, home }: { market: LocalMarket; deploymentFile: string; buyerKey: Hex; csvFile: string; home: string }): Promise<{ totalMs: number; stdout: string }> {
  const started = performance.now();
  const { stdout } = await promisify(execFile)(process.execPath, [join(ROOT, "scripts/cli/bazaar.ts"), "test-drive", "1", csvFile, "--yes", "--rpc", market.rpcUrl, "--deployment", deploymentFile], {
    env: { ...process.env, MODELBAZAAR_PRIVATE_KEY: buyerKey, MODELBAZAAR_HOME: home },
    timeout: 300_000,
  });
  return { totalMs: performance.now() - started, stdout };
}
