/**
 * The module specifiers a JavaScript or TypeScript source names, as written (static imports and
 * re-exports, `import()`, `require()`, `new URL(…)`), and the repository's source files, for the
 * tests that guard how code outside sdk/ reaches the SDK (test/sdk/packageBoundary.test.ts).
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";

const SPECIFIER = /(?:\bfrom|\bimport|\brequire\s*\(|\bnew\s+URL\s*\()\s*\(?\s*(["'`])([^"'`\n]+)\1/g;
const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/;

/** Every specifier `source` imports, re-exports, requires or resolves with `new URL`, in order. */
export function importSpecifiers(source: string): string[] {
  return [...source.matchAll(SPECIFIER)].map((match) => match[2]!);
}

/**
 * The JS/TS files under `root`, depth first, without node_modules, dot-directories and the
 * top-level directories named in `skipTopLevel` (generated output, the SDK itself).
 */
export function sourceFiles(root: string, skipTopLevel: ReadonlySet<string>): string[] {
  const files: string[] = [];
  const walk = (directory: string, topLevel: boolean): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === "node_modules" || entry.name.startsWith(".") || (topLevel && skipTopLevel.has(entry.name))) continue;
        walk(path, false);
      } else if (entry.isFile() && SOURCE.test(entry.name) && !entry.name.endsWith(".d.ts")) files.push(path);
    }
  };
  walk(root, true);
  return files;
}
