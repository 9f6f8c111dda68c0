/**
 * Code outside sdk/ reaches the SDK only as the package @modelbazaar/sdk (issue #13,
 * docs/ARCHITECTURE.md "The SDK as a package"): no relative path into sdk/src (it would bypass the
 * exports map, so the dApp could pull Node-only modules and integrators would not get what the
 * app uses), @modelbazaar/sdk/internal/* only from test/, and the dApp never the Node-only entry.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { importSpecifiers, sourceFiles } from "../helpers/sourceImports.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SDK_SOURCES = join(ROOT, "sdk", "src");
/** Top-level directories that are the SDK itself, generated output or documents. */
const NOT_CALLERS = new Set(["sdk", "artifacts", "cache", "coverage", "types", "docs"]);
const FIX = "import it as @modelbazaar/sdk/<domain> (sdk/package.json exports), or run the codemod of the package's introduction";

/** The specifiers of `source` (a file at `path`) that reach into sdk/src by a relative path. */
function relativeSdkImports(path: string, source: string): string[] {
  return importSpecifiers(source).filter((specifier) => {
    if (!specifier.startsWith(".")) return false;
    const target = resolve(dirname(path), specifier);
    return target === SDK_SOURCES || target.startsWith(SDK_SOURCES + sep);
  });
}

const callers = sourceFiles(ROOT, NOT_CALLERS).map((path) => ({ path, name: relative(ROOT, path).split(sep).join("/"), source: readFileSync(path, "utf8") }));

describe("@modelbazaar/sdk is the only way into sdk/", () => {
  it("finds every form of relative import into sdk/src (so the checks below can fail)", () => {
    const probe = join(ROOT, "app", "src", "probe.ts");
    const sdk = "../../sdk"; // spelled out here, this file would be an offender itself
    const source = [
      `import { a } from "${sdk}/src/he/plan.ts";`,
      `import {\n  b,\n} from '${sdk}/src/index.ts';`,
      `export * from "${sdk}/src/labels/index.ts";`,
      `const thread = new URL("${sdk}/src/prover/browser/disputeProofWorker.ts", import.meta.url);`,
      `const source = await import("${sdk}/src");`,
      `import { listingLines } from "${sdk}/examples/listListings.ts"; // an example, not the library`,
      `import { c } from "@modelbazaar/sdk/he"; // was sdk/src/he/plan.ts`,
      `import { d } from "../../scripts/lib/sdkHelpers.ts";`,
    ].join("\n");
    assert.deepEqual(
      relativeSdkImports(probe, source),
      ["src/he/plan.ts", "src/index.ts", "src/labels/index.ts", "src/prover/browser/disputeProofWorker.ts", "src"].map((path) => `${sdk}/${path}`),
    );
  });

  it("scans the dApp, the worker, the CLI, the scripts and the tests", () => {
    const names = new Set(callers.map((file) => file.name));
    for (const file of ["app/src/main.tsx", "offchain-worker/src/runWorker.ts", "scripts/cli/bazaar.ts", "hardhat.config.ts", "test/sdk/packageBoundary.test.ts"]) assert.ok(names.has(file), `${file} was not scanned`);
    assert.ok(![...names].some((name) => name.startsWith("sdk/")), "the SDK's own files may import each other by relative paths");
  });

  it("no file outside sdk/ imports sdk/src by a relative path", () => {
    const offenders = callers.flatMap((file) => relativeSdkImports(file.path, file.source).map((specifier) => `${file.name}: ${specifier}`));
    assert.deepEqual(offenders, [], `${FIX}:\n${offenders.join("\n")}`);
  });

  it("only tests import @modelbazaar/sdk/internal/* (modules no public entry exports)", () => {
    const offenders = callers
      .filter((file) => !file.name.startsWith("test/"))
      .flatMap((file) => importSpecifiers(file.source).filter((s) => s.startsWith("@modelbazaar/sdk/internal/")).map((s) => `${file.name}: ${s}`));
    assert.deepEqual(offenders, [], "export what these use from the domain's sdk/src/<domain>/index.ts instead");
  });

  it("the dApp imports no Node-only entry", () => {
    const offenders = callers
      .filter((file) => file.name.startsWith("app/"))
      .flatMap((file) => importSpecifiers(file.source).filter((s) => s === "@modelbazaar/sdk/node").map((s) => `${file.name}: ${s}`));
    assert.deepEqual(offenders, []);
  });
});
