/**
 * The dispute prover in a real browser (Debian's headless Chromium): the page bundled by Vite
 * proves in a Web Worker with snarkjs, reports progress in order, keeps its main thread
 * responsive, and yields a proof that snarkjs in Node accepts for exactly the expected public
 * signals. Bad artifact paths and cancellation are refused with sentences.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import * as snarkjs from "snarkjs";
import { ARTIFACTS_DIR } from "../../scripts/zk/setup.ts";
import { provableShortfall, refundCircuitInput, type RefundCircuitInput } from "@modelbazaar/sdk/testDrives";
import { terminateSnarkjsWorkers } from "@modelbazaar/sdk/prover";
import { browserUnavailable } from "../../scripts/lib/browser/chromium.ts";
import { openProverPage, type HarnessResult, type ProverPage } from "../../scripts/lib/browser/proverPage.ts";
import { seededRandom } from "../helpers/seededRandom.ts";

const N = 256;
const random = seededRandom(11);
const randField = (): bigint => BigInt(Math.floor(random() * 2 ** 48)) * 2n ** 200n + BigInt(Math.floor(random() * 2 ** 48));

function input(): RefundCircuitInput {
  const labels = Array.from({ length: 60 }, () => Math.floor(random() * 3));
  const predictions = labels.map((label, i) => (i < 30 ? label : (label + 1) % 3));
  const fields = { claimedAccuracyBps: 9000, sampleCount: 60, classCount: 3, featureBits: 12, featureCount: 4, shortfallBps: provableShortfall(30, 60, 9000) };
  return refundCircuitInput({ labels, predictions, featuresRoot: randField(), salt: randField(), fields, tag: 777n }, N);
}

describe("dispute prover in headless Chromium (refund, N = 256)", { skip: browserUnavailable() }, () => {
  let page: ProverPage;
  const urls = { wasmUrl: `/circuits/refund_${N}.wasm`, zkeyUrl: `/circuits/refund_${N}.zkey` };

  before(async () => {
    page = await openProverPage(join(ARTIFACTS_DIR, `refund_${N}`));
  });
  after(async () => {
    await page?.close();
    await terminateSnarkjsWorkers(); // Node's verify below starts snarkjs's curve threads
  });

  const prove = (request: Parameters<ProverPage["prove"]>[0]): Promise<HarnessResult> => page.prove(request);

  it("proves in a worker with ordered progress and a responsive page; Node's snarkjs accepts the proof", async () => {
    const signals = input();
    const result = await prove({ input: signals, ...urls });
    assert.equal(result.ok, true, result.error);
    console.log(`      browser proof in ${(result.elapsedMs / 1000).toFixed(2)} s; longest main-thread stall ${result.longestStallMs.toFixed(0)} ms`);
    assert.deepEqual(result.publicSignals, [signals.context, signals.dataCommitment, signals.predictionCommitment]);
    const vkey = JSON.parse(readFileSync(join(ARTIFACTS_DIR, `refund_${N}`, "verification_key.json"), "utf8")) as snarkjs.Groth16VerificationKey;
    const proof = result.proof as snarkjs.Groth16Proof;
    assert.equal(await snarkjs.groth16.verify(vkey, result.publicSignals!, proof), true);
    assert.equal(await snarkjs.groth16.verify(vkey, [signals.context, signals.dataCommitment, "1"], proof), false);
    assert.deepEqual(result.calldata!.a, [proof.pi_a[0], proof.pi_a[1]]);

    const stages = result.progress.map((p) => p.stage);
    for (const stage of ["download", "witness", "qap", "multiexp", "done"] as const) assert.ok(stages.includes(stage), `no ${stage} progress in ${stages.join(",")}`);
    const fractions = result.progress.map((p) => p.fraction);
    assert.deepEqual(fractions, [...fractions].sort((a, b) => a - b), "progress went backwards");
    assert.equal(fractions.at(-1), 1);
    // A main-thread prover would stall the page for the whole proof.
    assert.ok(result.longestStallMs < result.elapsedMs / 2, `the page stalled ${result.longestStallMs} ms of ${result.elapsedMs} ms`);
  });

  it("refuses a proving-key path that serves a page instead of the file", async () => {
    const result = await prove({ input: input(), wasmUrl: urls.wasmUrl, zkeyUrl: "/circuits/missing.zkey" });
    assert.equal(result.ok, false);
    assert.match(result.error!, /is not a zkey file/);
  });

  it("rejects an input with no witness (a claim the context does not pack) with the circuit's message", async () => {
    const honest = input();
    const result = await prove({ input: { ...honest, claimedAccuracyBps: "5000" }, ...urls });
    assert.equal(result.ok, false);
    assert.match(result.error!, /Assert Failed|Error in template/);
  });

  it("cancels: the worker is terminated and the promise rejects", async () => {
    const result = await prove({ input: input(), ...urls, abortAfterMs: 50 });
    assert.equal(result.ok, false);
    assert.match(result.error!, /cancelled/);
  });
});
