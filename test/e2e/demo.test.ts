/**
 * `npm run demo`: the whole marketplace scripted on a local chain of its own (real CKKS,
 * real Groth16 refund proof, real fair exchange, the audit). Runs `hardhat run scripts/demo.ts`
 * as a child process and checks it exits 0 with the report's key lines (refund, exact file,
 * auction winner, complaint upheld, audit all held) and leaves deployments/31337.json alone.
 * Also checks a malformed port is refused (exit 1) and, without a chain, that a step whose
 * body throws fails the summary.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { formatStep, formatSummary } from "../../scripts/demo/report.ts";
import { runStep, type Market } from "../../scripts/demo/trade.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const run = promisify(execFile);
const record = `${root}deployments/31337.json`;

describe("npm run demo", () => {
  it("runs every step of the marketplace and exits 0 only because every check held", { timeout: 360_000 }, async () => {
    const before = existsSync(record) ? readFileSync(record, "utf8") : undefined;
    const started = performance.now();
    const { stdout } = await run(`${root}node_modules/.bin/hardhat`, ["run", "scripts/demo.ts"], { cwd: root, timeout: 350_000, maxBuffer: 16 * 2 ** 20 });
    console.log(`# demo took ${((performance.now() - started) / 1000).toFixed(1)} s`);
    assert.match(stdout, /29\/30 = 96\.66 %, claim 96\.66 %/);
    assert.match(stdout, /received the exact committed file: \d+ bytes, byte-identical to models\/iris-logreg\.onnx/);
    assert.match(stdout, /proved a shortfall of \d+ bps \(\d+\/30 correct\) with a Groth16 proof \(refund_256/);
    assert.match(stdout, /after the contest window buyer B #\d+ got 0\.997 ETH of the 1 ETH deposit back \(the graded refund\), and seller #\d+ 0\.003 ETH for the rest and the 30 samples/);
    assert.match(stdout, /settled: bidder Y #5 won and pays 3\.5 ETH into escrow/);
    assert.match(stdout, /winner bidder Y #5 received the exact committed file through the escrow/);
    assert.match(stdout, /complaint upheld, 5 ETH refunded \(purchase refunded\)/);
    assert.match(stdout, /\d+ checks, all held/);
    assert.match(stdout, /DEMO PASSED: every check held\./);
    assert.doesNotMatch(stdout, /\[FAIL\]/);
    assert.equal(existsSync(record) ? readFileSync(record, "utf8") : undefined, before, "the demo must not touch deployments/31337.json");
  });

  it("refuses a malformed MODELBAZAAR_DEMO_RPC_PORT with a sentence and exit 1", { timeout: 60_000 }, async () => {
    await assert.rejects(
      run(`${root}node_modules/.bin/hardhat`, ["run", "scripts/demo.ts"], { cwd: root, env: { ...process.env, MODELBAZAAR_DEMO_RPC_PORT: "not-a-port" }, timeout: 55_000 }),
      (error: { code?: number; stderr?: string }) => error.code === 1 && /DEMO FAILED: MODELBAZAAR_DEMO_RPC_PORT must be a TCP port, got "not-a-port"/.test(error.stderr ?? ""),
    );
  });

  it("turns a step that throws into a failed check and a failed summary", async () => {
    const market = {} as Market; // never reached: the step throws first
    const result = await runStep(market, "a broken step", async (step) => {
      step.check("a check that held", true);
      throw new Error("the worker is down");
    });
    assert.equal(result.error, "the worker is down");
    assert.match(formatStep(1, result), /\[FAIL\] the step ran to its end \(the worker is down\)/);
    const summary = formatSummary([result], 1_000);
    assert.equal(summary.ok, false);
    assert.match(summary.text, /1\/2 checks held/);
    assert.match(summary.text, /DEMO FAILED:\n  step 1 \(a broken step\): the step ran to its end/);
  });

  it("does not pass a run without checks", () => {
    assert.equal(formatSummary([], 0).ok, false);
  });
});
