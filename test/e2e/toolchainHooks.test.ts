/**
 * A fresh clone's first `npm run <anything>` installs the project's Node 24 and a complete
 * dependency tree (scripts/ensure-toolchain.sh) before the script runs: every npm script a
 * newcomer may start with (`npm run demo`, `npm run bazaar`, `npm run bench:he`, ...) has a
 * `pre` hook running it, not only `start` and `test`.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";

const HOOK = "sh scripts/ensure-toolchain.sh";
const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { scripts: Record<string, string> };

describe("package.json: the toolchain hook", () => {
  it("runs before every npm script", () => {
    const scripts = Object.keys(manifest.scripts).filter((name) => !name.startsWith("pre"));
    assert.ok(scripts.includes("demo") && scripts.includes("bazaar") && scripts.includes("bench:he"), "the scripts a newcomer runs are listed");
    const unhooked = scripts.filter((name) => manifest.scripts[`pre${name}`] !== HOOK);
    assert.deepEqual(unhooked, [], `these scripts lack "pre<name>": "${HOOK}"`);
  });
});
