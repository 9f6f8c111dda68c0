/**
 * What every browser journey checks on its pages: no console error or uncaught exception, and
 * no serious or critical axe-core violation (axe from the installed package, injected once per
 * page).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { ROOT } from "./localStack.ts";

const AXE = readFileSync(join(ROOT, "node_modules", "axe-core", "axe.min.js"), "utf8");

/** Collects into `errors` the console errors and uncaught exceptions of every page `context` opens. */
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
