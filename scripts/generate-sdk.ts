/**
 * Regenerates sdk/src/generated/abis.ts from the Hardhat artifacts, so the app, the worker
 * and the scripts share one typed copy of each ABI (`as const`, never edited by hand).
 * Run by `npm run build`; test/sdk/generated.test.ts fails when it drifts from the artifacts.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderAbis } from "./lib/renderAbis.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const target = `${root}sdk/src/generated/abis.ts`;
const rendered = renderAbis(root);
const current = (() => {
  try {
    return readFileSync(target, "utf8");
  } catch {
    return "";
  }
})();
if (current !== rendered) {
  writeFileSync(target, rendered);
  console.log(`wrote ${target}`);
} else {
  console.log("sdk/src/generated/abis.ts is up to date");
}
