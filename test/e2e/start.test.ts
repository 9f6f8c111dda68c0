/**
 * The README's first command: `npm start` brings up a local chain, deploys the marketplace,
 * lists the trained demo models, starts the seller's CKKS worker and the recommendation aggregator and prints where it all is,
 * with the funded dev accounts, their roles and keys (the README's table lists the same), and
 * no warning (a deprecated Hardhat API, the compiler). Runs the same script with
 * MODELBAZAAR_EXIT_WHEN_READY=1; its note for the CLI is gone when it exits. Malformed ports and
 * extra app origins are refused before anything starts.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { devAccounts } from "../../scripts/lib/devAccounts.ts";
import { freePort } from "../../scripts/lib/freePort.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const run = promisify(execFile);

describe("npm start", () => {
  it("starts a chain, deploys with Ignition, lists the demo models, starts the worker and stops cleanly", { timeout: 180_000 }, async () => {
    const port = await freePort();
    const workerPort = await freePort();
    const aggregatorPort = await freePort();
    const { stdout, stderr } = await run(`${root}node_modules/.bin/hardhat`, ["run", "scripts/start.ts"], {
      cwd: root,
      env: { ...process.env, MODELBAZAAR_RPC_PORT: String(port), MODELBAZAAR_WORKER_PORT: String(workerPort), MODELBAZAAR_AGGREGATOR_PORT: String(aggregatorPort), MODELBAZAAR_EXIT_WHEN_READY: "1" },
      timeout: 170_000,
    });
    assert.match(stdout, new RegExp(`JSON-RPC\\s+http://127\\.0\\.0\\.1:${port}`));
    const deployment = JSON.parse(readFileSync(`${root}deployments/31337.json`, "utf8")) as Record<string, string>;
    assert.match(stdout, /RefundDisputes\s+0x[0-9a-fA-F]{40}\s+\(Groth16, refund circuits of 256, 1024 samples\)/);
    for (const name of ["registry", "market"]) {
      assert.match(deployment[name] ?? "", /^0x[0-9a-fA-F]{40}$/);
      assert.ok(stdout.includes(deployment[name]!), `${name} address printed`);
    }
    assert.match(stdout, /Dev accounts with test ETH, DEVELOPMENT ONLY: these are Hardhat's well-known development keys/);
    for (const { index, role, address, privateKey } of devAccounts()) {
      assert.match(stdout, new RegExp(`#${index} ${role}\\s+${address}\\s+[\\d,.]+ ETH\\s+\\(.+\\)\\n\\s+private key\\s+${privateKey}\\n`), `account #${index} with its role and key`);
    }
    assert.match(stdout, /#1 seller\s+0x[0-9a-fA-F]{40}\s+9,9\d\d[\d.]* ETH/, "the seller paid for listing");
    assert.match(stdout, /npm run bazaar -- dev advance 1d/);
    assert.match(stdout, new RegExp(`a block every 2 s`));
    assert.doesNotMatch(`${stdout}\n${stderr}`, /deprecated|warning/i, "no deprecation or compiler warning");
    assert.equal(existsSync(`${root}.modelbazaar/stacks/${port}.json`), false, "the note for the CLI goes when npm start stops");
    assert.match(stdout, new RegExp(`Worker\\s+http://127\\.0\\.0\\.1:${workerPort}\\s+\\(signer 0x[0-9a-fA-F]{40}, CKKS`));
    assert.match(stdout, new RegExp(`Aggregator\\s+http://127\\.0\\.0\\.1:${aggregatorPort}\\s+\\(opt-in federated training: item factors of 1024 listings, dimension 16; noised updates only; the ranking never asks it\\)`));
    assert.match(stdout, /Dev accounts #7-#12 bought 12 of them \(public purchases the recommendations learn from; each awaits the seller's delivery\)\./);
    for (const [id, model] of ["iris-logreg", "iris-square-mlp", "mnist-logreg", "mnist-cryptonets"].entries()) {
      assert.match(stdout, new RegExp(`#${id + 1} ${model}`));
    }
  });

  it("starts without warnings: the contracts compile without one Hardhat would print, and nothing calls the deprecated hre.network.connect", () => {
    // The last build's solc output; Hardhat itself hides only code-size warnings of Solidity test files (*.t.sol).
    const outputs = readdirSync(`${root}artifacts/build-info`).filter((name) => name.endsWith(".output.json"));
    assert.ok(outputs.length > 0, "npm test builds first");
    for (const name of outputs) {
      const { output } = JSON.parse(readFileSync(`${root}artifacts/build-info/${name}`, "utf8")) as { output: { errors?: { severity: string; message: string; sourceLocation?: { file: string } }[] } };
      const shown = (output.errors ?? []).filter((e) => !(/^Contract (code|initcode) size is/.test(e.message) && /\.t\.sol$/.test(e.sourceLocation?.file ?? "")));
      assert.deepEqual(shown.map((e) => `${e.severity}: ${e.sourceLocation?.file}: ${e.message}`), [], name);
    }
    const sources = (dir: string): string[] =>
      readdirSync(`${root}${dir}`, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".ts")).map((file) => `${dir}/${file}`);
    const callers = [...sources("scripts"), ...sources("test"), ...sources("offchain-worker/src")].filter((file) => /\bnetwork\.connect\(/.test(readFileSync(`${root}${file}`, "utf8")));
    assert.deepEqual(callers, [], "network.create replaces the deprecated network.connect");
  });

  it("the README lists the same dev accounts, roles and keys", () => {
    const readme = readFileSync(`${root}README.md`, "utf8");
    for (const { index, role, address, privateKey } of devAccounts()) {
      assert.ok(readme.includes(`| ${index} | ${role} | \`${address}\` | \`${privateKey}\` |`), `README lists account #${index}`);
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

  it("refuses an extra app origin that is not an origin, with a sentence and a non-zero exit", async () => {
    await assert.rejects(
      run(`${root}node_modules/.bin/hardhat`, ["run", "scripts/start.ts"], {
        cwd: root,
        env: { ...process.env, MODELBAZAAR_RPC_PORT: "1", MODELBAZAAR_APP_ORIGINS: "http://127.0.0.1:4173,http://127.0.0.1:4173/app" },
        timeout: 60_000,
      }),
      (error: { code?: number; stderr?: string }) => {
        assert.equal(error.code, 2);
        assert.match(error.stderr ?? "", /MODELBAZAAR_APP_ORIGINS must list origins like http:\/\/127\.0\.0\.1:4173 \(scheme, host, port, no path\), got "http:\/\/127\.0\.0\.1:4173\/app"/);
        return true;
      },
    );
  });
});
