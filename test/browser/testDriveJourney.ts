/**
 * The buyer's test-drive journey on the model page, step by step, for the browser test
 * (testDrive.test.ts) and the benchmark (scripts/bench/app.ts) alike: open a listing's model
 * page from the listings, connect the injected EIP-6963 wallet (test/browser/injectedWallet.ts)
 * and switch it to the local chain, pick an Iris CSV from "disk", and run the test-drive to
 * its decrypted report. A recorder in the page notes, with the page's own clock, the moment
 * the file is picked, the moment the page says the set fits the listing, each step the
 * progress panel (RunProgress.tsx) marks current, each progress line it announces, and the
 * moment the report appears: the test asserts on the lines, the benchmark times the steps.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { loadIris } from "../../scripts/lib/datasets/iris.ts";

/** `samples` Iris training samples as a buyer's CSV (four measurements, then the class name); every `mislabelledEvery`-th label moved to the next class. */
export function irisCsv(samples: number, { mislabelledEvery }: { mislabelledEvery?: number } = {}): { csv: string; labels: number[] } {
  const { train, classNames } = loadIris();
  if (samples > train.labels.length) throw new Error(`the Iris training split has ${train.labels.length} samples, not ${samples}`);
  const rows: string[] = ["sepal_length,sepal_width,petal_length,petal_width,species"];
  const labels: number[] = [];
  for (let s = 0; s < samples; s++) {
    const label = mislabelledEvery !== undefined && s % mislabelledEvery === 0 ? (train.labels[s]! + 1) % classNames.length : train.labels[s]!;
    labels.push(label);
    rows.push([...train.features.subarray(s * 4, s * 4 + 4)].map((v) => v.toFixed(2)).join(",") + `,${classNames[label]}`);
  }
  return { csv: rows.join("\n"), labels };
}

/** From the listings page to the model page of listing `listingId`, named `model` (the first listing of `npm start` is iris-logreg, id 1). */
export async function openModelPage(page: Page, appUrl: string, { model = "iris-logreg", listingId = 1 }: { model?: string; listingId?: number } = {}): Promise<void> {
  await page.goto(appUrl);
  await page.getByTestId("listing").getByRole("link", { name: model, exact: true }).and(page.locator(`[href="#/model/${listingId}"]`)).click();
  await page.waitForURL(new RegExp(`#/model/${listingId}$`));
  await page.getByRole("heading", { name: model, level: 1 }).waitFor({ timeout: 180_000 });
}

/** The test-set file input of the model page. */
export const testSetInput = (page: Page) => page.getByLabel(/Your labelled test set/);

/** What the recorder saw, each with the page's performance.now() in milliseconds. */
export interface JourneyTimeline {
  /** The file input's change event. */
  readonly picked?: number;
  /** The page's "N samples fit listing #…" line appeared. */
  readonly checked?: number;
  /** The test-drive button was clicked. */
  readonly started?: number;
  /** Each step the progress panel marked current, in order, when it did. */
  readonly steps: readonly { readonly step: string; readonly at: number }[];
  /** Each distinct progress line, in order. */
  readonly lines: readonly { readonly line: string; readonly at: number }[];
  /** The accuracy report appeared. */
  readonly reported?: number;
}

/** Installs the recorder in the page (call once per page load, before picking the file). */
export async function recordJourney(page: Page): Promise<void> {
  await page.evaluate(() => {
    type Timeline = { picked?: number; checked?: number; started?: number; steps: { step: string; at: number }[]; lines: { line: string; at: number }[]; reported?: number };
    const timeline: Timeline = { steps: [], lines: [] };
    (window as unknown as { journeyTimeline: Timeline }).journeyTimeline = timeline;
    document.addEventListener("change", (event) => {
      if (event.target instanceof HTMLInputElement && event.target.type === "file") {
        Object.assign(timeline, { picked: performance.now(), checked: undefined, started: undefined, reported: undefined });
        timeline.steps.length = 0;
        timeline.lines.length = 0;
      }
    }, true);
    document.addEventListener("click", (event) => {
      const button = event.target instanceof Element ? event.target.closest("button") : null;
      if (button && /^Test-drive on \d+ samples$/.test(button.textContent ?? "")) timeline.started = performance.now();
    }, true);
    new MutationObserver(() => {
      const at = performance.now();
      if (timeline.picked !== undefined && timeline.checked === undefined && document.querySelector("[data-testid=csv-ok]")) timeline.checked = at;
      const step = document.querySelector("[data-testid=run-progress] [aria-current=step]")?.textContent;
      if (step && timeline.steps.at(-1)?.step !== step) timeline.steps.push({ step, at });
      const line = document.querySelector("[data-testid=run-progress] [role=status]")?.textContent;
      if (line && timeline.lines.at(-1)?.line !== line) timeline.lines.push({ line, at });
      if (timeline.reported === undefined && document.querySelector("[data-testid=accuracy-report]")) timeline.reported = at;
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["aria-current"] });
  });
}

export async function journeyTimeline(page: Page): Promise<JourneyTimeline> {
  return page.evaluate(() => (window as unknown as { journeyTimeline: JourneyTimeline }).journeyTimeline);
}

/** Picks `csv` as the file `name` and waits until the page says its `samples` samples fit the listing. */
export async function pickTestSet(page: Page, { name, csv, samples, listingId = 1 }: { name: string; csv: string; samples: number; listingId?: number }): Promise<void> {
  await testSetInput(page).setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByTestId("csv-ok").filter({ hasText: `${samples} samples fit listing #${listingId}` }).waitFor();
}

/** Waits for `done`, failing at once with the page's sentence if `failed` appears instead. */
export async function settled(page: Page, done: string, failed: string, timeout: number): Promise<void> {
  const outcome = await Promise.race([
    page.getByTestId(done).waitFor({ timeout }).then(() => "done" as const),
    page.getByTestId(failed).waitFor({ timeout }).then(() => "failed" as const),
  ]);
  if (outcome === "failed") assert.fail(`the page says: ${await page.getByTestId(failed).innerText()}`);
}

/** Starts the test-drive of the picked set and waits for its decrypted report. */
export async function runTestDriveToReport(page: Page, samples: number, { timeout = 300_000 }: { timeout?: number } = {}): Promise<void> {
  await page.getByRole("button", { name: `Test-drive on ${samples} samples` }).click();
  await settled(page, "accuracy-report", "run-error", timeout);
}

/** What the page kept in localStorage for a test-drive it ran on the local chain (app/src/testDrive/keptTestDrive.ts). */
export interface KeptInPage {
  readonly testId: string;
  readonly dataCommitment: string;
  readonly labels: number[];
  readonly predictions: number[];
  readonly heSecretKey?: string;
  /** The worker's CopyReceipt when it evaluated the buyer's own copy (docs/PROTOCOL.md §7.2). */
  readonly copyReceipt?: { readonly copyRoot: string; readonly copySize: string };
}

/** The page's record of the latest test-drive it ran (by when it was kept), or undefined. */
export async function keptTestDrive(page: Page): Promise<KeptInPage | undefined> {
  return page.evaluate(() => {
    const records = Object.keys(localStorage)
      .filter((k) => k.startsWith("modelbazaar.testDrive.31337.") && k.includes(".test."))
      .map((k) => JSON.parse(localStorage.getItem(k)!) as KeptInPage & { createdAt: string });
    return records.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  });
}
