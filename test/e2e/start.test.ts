/**
 * The README's first command: `npm start` brings up a local chain, deploys the marketplace,
 * lists the trained demo models, starts the seller's CKKS worker and prints where it all is.
 * Runs the same script with MODELBAZAAR_EXIT_WHEN_READY=1.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const root = fileURLToPath(new URL("../..", import.meta.url));
const run = promisify(execFile);

describe("npm start", () => {
  it("starts a chain, deploys with Ignition, lists the demo models, starts the worker and stops cleanly", { timeout: 180_000 }, async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const workerPort = port + 1;
    const { stdout } = await run(`${root}node_modules/.bin/hardhat`, ["run", "scripts/start.ts"], {
      cwd: root,
      env: { ...process.env, MODELBAZAAR_RPC_PORT: String(port), MODELBAZAAR_WORKER_PORT: String(workerPort), MODELBAZAAR_EXIT_WHEN_READY: "1" },
      timeout: 170_000,
    });
    assert.match(stdout, new RegExp(`JSON-RPC\\s+http://127\\.0\\.0\\.1:${port}`));
    const deployment = JSON.parse(readFileSync(`${root}deployments/31337.json`, "utf8")) as Record<string, string>;
    assert.match(stdout, /RefundDisputes\s+0x[0-9a-fA-F]{40}\s+\(Groth16, refund circuits of 256, 1024 samples\)/);
    for (const name of ["registry", "market"]) {
      assert.match(deployment[name] ?? "", /^0x[0-9a-fA-F]{40}$/);
      assert.ok(stdout.includes(deployment[name]!), `${name} address printed`);
    }
    assert.match(stdout, /#1 0x[0-9a-f]{40}\s+[\d.]+ ETH\s+\(seller\)/);
    assert.match(stdout, new RegExp(`Worker\\s+http://127\\.0\\.0\\.1:${workerPort}\\s+\\(signer 0x[0-9a-fA-F]{40}, CKKS`));
    for (const [id, model] of ["iris-logreg", "iris-square-mlp", "mnist-logreg", "mnist-cryptonets"].entries()) {
      assert.match(stdout, new RegExp(`#${id + 1} ${model}`));
    }
  });

  it("refuses a malformed port with a sentence and a non-zero exit", async () => {
    await assert.rejects(
      run(`${root}node_modules/.bin/hardhat`, ["run", "scripts/start.ts"], {
        cwd: root,
        env: { ...process.env, MODELBAZAAR_RPC_PORT: "not-a-port" },
      }),
      (error: { code?: number; stderr?: string }) => {
        assert.equal(error.code, 2);
        assert.match(error.stderr ?? "", /MODELBAZAAR_RPC_PORT must be a TCP port/);
        return true;
      },
    );
  });
});
