/**
 * @modelbazaar/sdk as Node and Vite resolve it (docs/ARCHITECTURE.md "The SDK as a package").
 * Node: npm's workspace link leads to the TypeScript sources in sdk/src, outside node_modules, so
 * Node strips their types (it refuses to under node_modules); the browser-only entry and any file
 * path the exports map does not name are refused. Vite, with a browser's conditions: every entry
 * a browser may import bundles without a Node built-in from the SDK, and the Node-only entry does
 * not bundle at all.
 */
import assert from "node:assert/strict";
import { lstatSync, readFileSync, realpathSync } from "node:fs";
import { isBuiltin } from "node:module";
import { join, resolve, sep } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { build } from "vite";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SDK = join(ROOT, "sdk");
const PACKAGE = "@modelbazaar/sdk";

type Target = string | Readonly<Record<string, string>>;
const manifest = JSON.parse(readFileSync(join(SDK, "package.json"), "utf8")) as { exports: Readonly<Record<string, Target>> };
/** The exports map's entries that name one module: specifier, conditions and source file. */
const entries = Object.entries(manifest.exports)
  .filter(([key]) => !key.includes("*") && key !== "./package.json")
  .map(([key, target]) => {
    const conditions = typeof target === "string" ? { default: target } : target;
    return { specifier: key === "." ? PACKAGE : `${PACKAGE}/${key.slice(2)}`, conditions: Object.keys(conditions), file: resolve(SDK, Object.values(conditions)[0]!) };
  });
const forNode = entries.filter((e) => e.conditions.includes("default") || e.conditions.includes("node"));
const forBrowsers = entries.filter((e) => e.conditions.includes("default") || e.conditions.includes("browser"));

/** An import of a Node built-in that the bundler met, and the module that made it. */
interface BuiltinImport {
  readonly builtin: string;
  readonly importer: string;
}

/** Bundles `code` as a browser module with Vite (no config file); resolves with the Node built-ins it imports. */
async function bundleForBrowser(code: string): Promise<BuiltinImport[]> {
  const builtins: BuiltinImport[] = [];
  await build({
    configFile: false,
    root: ROOT,
    logLevel: "silent",
    plugins: [
      { name: "entry", resolveId: (id) => (id === "virtual:entry" ? "\0entry" : undefined), load: (id) => (id === "\0entry" ? code : undefined) },
      {
        // Vite replaces a built-in by a stub that throws when used (and warns only in production mode).
        name: "record-node-builtins",
        enforce: "pre",
        resolveId: (id, importer) => {
          if (isBuiltin(id)) builtins.push({ builtin: id, importer: importer ?? "" });
          return undefined;
        },
      },
    ],
    build: { write: false, rollupOptions: { input: "virtual:entry" } },
    // As the dApp builds them (app/vite.config.ts): the Web Workers are ES modules that split.
    worker: { format: "es" },
  });
  return builtins;
}

describe("@modelbazaar/sdk in Node", () => {
  it("is npm's workspace link to sdk/", () => {
    const link = join(ROOT, "node_modules", "@modelbazaar", "sdk");
    assert.ok(lstatSync(link).isSymbolicLink(), `${link} is not a link: run npm install`);
    assert.equal(realpathSync(link), realpathSync(SDK));
  });

  it("resolves each entry Node may import to its TypeScript source outside node_modules, and loads it", async () => {
    assert.ok(forNode.length >= 10, "the exports map lost its entries");
    for (const entry of forNode) {
      const path = fileURLToPath(import.meta.resolve(entry.specifier));
      assert.equal(path, realpathSync(entry.file), entry.specifier);
      assert.ok(!path.includes(`${sep}node_modules${sep}`), `${entry.specifier} resolves under node_modules, where Node does not strip types`);
      const loaded = (await import(entry.specifier)) as Record<string, unknown>;
      assert.ok(Object.keys(loaded).length > 0, `${entry.specifier} exports nothing`);
    }
  });

  it("refuses the browser-only entry and file paths the exports map does not name", async () => {
    await assert.rejects(import(`${PACKAGE}/prover/browser`), { code: "ERR_PACKAGE_PATH_NOT_EXPORTED" });
    await assert.rejects(import(`${PACKAGE}/he/browser`), { code: "ERR_PACKAGE_PATH_NOT_EXPORTED" });
    await assert.rejects(import(`${PACKAGE}/src/index.ts`), { code: "ERR_PACKAGE_PATH_NOT_EXPORTED" });
    await assert.rejects(import(`${PACKAGE}/he/plan.ts`), { code: "ERR_PACKAGE_PATH_NOT_EXPORTED" });
  });
});

describe("@modelbazaar/sdk in a browser bundle (Vite)", () => {
  it("bundles every entry a browser may import with no Node built-in from the SDK", async () => {
    const code = forBrowsers.map((entry, i) => `import * as entry${i} from "${entry.specifier}";\nconsole.log(entry${i});`).join("\n");
    const builtins = await bundleForBrowser(code);
    // node-seal's Emscripten glue imports "module" only inside its `if (ENVIRONMENT_IS_NODE)`.
    const fromNodeSealGlue = ({ builtin, importer }: BuiltinImport): boolean => builtin === "module" && importer.includes(`${sep}node_modules${sep}node-seal${sep}`);
    assert.deepEqual(builtins.filter((b) => !fromNodeSealGlue(b)), []);
  });

  it("refuses to bundle the Node-only entry", async () => {
    await assert.rejects(bundleForBrowser(`import { KeystoreError } from "${PACKAGE}/node";\nconsole.log(KeystoreError);`), /No known conditions for "\.\/node" specifier in "@modelbazaar\/sdk" package/);
  });
});
