/**
 * What every browser journey checks of its pages: console errors and uncaught exceptions,
 * axe-core's serious and critical violations (axe from the installed package, injected once
 * per page), and sideways scrolling (at 390 px).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { ROOT } from "./localStack.ts";

const AXE = readFileSync(join(ROOT, "node_modules", "axe-core", "axe.min.js"), "utf8");

/** Collects the console errors and uncaught exceptions of every page the context opens. */
export function watchErrors(context: BrowserContext, errors: string[]): void {
  context.on("page", (page) => {
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`${page.url()}: console error: ${message.text()}`);
    });
    page.on("pageerror", (error) => errors.push(`${page.url()}: uncaught: ${error.message}`));
  });
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.targets.join(", ")}`);
}

/** How far the page scrolls sideways, and the last few elements of <main> that stick out. */
export async function sidewaysOverflow(page: Page): Promise<{ by: number; widest: string[] }> {
  return page.evaluate(() => ({
    by: document.documentElement.scrollWidth - window.innerWidth,
    widest: Array.from(document.querySelectorAll("main *"))
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(-3)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
  }));
}

/**
 * Closes every notification before a screenshot, in one task of the page: toasts also close
 * themselves on a timer, so clicking them one by one from here raced with that timer (a toast
 * gone between listing and clicking left the click waiting for a button that never came).
 */
export async function dismissToasts(page: Page): Promise<void> {
  await page.evaluate(() => document.querySelectorAll<HTMLButtonElement>('button[aria-label="Dismiss"]').forEach((button) => button.click()));
  await page.getByRole("button", { name: "Dismiss" }).first().waitFor({ state: "detached" });
}
