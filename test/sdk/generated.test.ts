import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { renderAbis } from "../../scripts/lib/renderAbis.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("sdk/src/generated/abis.ts", () => {
  it("matches the compiled artifacts (run `npm run build` after changing a contract)", () => {
    const committed = readFileSync(`${root}sdk/src/generated/abis.ts`, "utf8");
    assert.equal(committed, renderAbis(root));
  });
});
