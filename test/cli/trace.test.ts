/**
 * `bazaar trace` as a seller runs it (a child process), on real ONNX copies made by the
 * trainer's fingerprinting (scripts/train/fingerprint.ts) of a small MNIST model for three
 * buyers: each copy is traced to its own buyer, white-box (weights against the base) and
 * black-box (its answers on each buyer's keyed triggers); an independently trained model, the
 * unsold base itself and a model of another shape name no one; a malformed ledger is refused
 * with a sentence.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import type { Address } from "viem";
import { serializeFingerprintLedger, type FingerprintLedger } from "@modelbazaar/sdk/protection";
import { cloneNetwork } from "../../scripts/train/cloneNetwork.ts";
import { fingerprintCopy, newLedger } from "../../scripts/train/fingerprint.ts";
import { runBazaar } from "../helpers/runBazaar.ts";
import { buildTinyMnist, TINY_HYPERPARAMETERS, tinyMnistOnnx, tinyMnistTrain, trainTinyMnist } from "../helpers/tinyMnistModel.ts";

const IRIS = new URL("../../models/iris-logreg.onnx", import.meta.url).pathname;
const BUYERS: Address[] = ["0x1111111111111111111111111111111111111111", "0x2222222222222222222222222222222222222222", "0x3333333333333333333333333333333333333333"];

interface TraceResult {
  accused: Address[];
  blackBox: { accused: Address[] };
  whiteBox?: { accused: Address[] };
}

describe("bazaar trace", { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "bazaar-trace-"));
  const path = (name: string) => join(dir, name);
  let ledgerPath: string;
  before(() => {
    const train = tinyMnistTrain();
    const base = trainTinyMnist(7).network;
    const ledger: FingerprintLedger = { ...newLedger(train, BUYERS), secret: `0x${"5a".repeat(32)}` };
    ledgerPath = path("ledger.json");
    writeFileSync(ledgerPath, serializeFingerprintLedger(ledger));
    writeFileSync(path("base.onnx"), tinyMnistOnnx(base));
    BUYERS.forEach((buyer, i) => {
      const copy = cloneNetwork(buildTinyMnist, undefined as never, base);
      fingerprintCopy(copy, ledger, buyer, train, TINY_HYPERPARAMETERS);
      writeFileSync(path(`copy${i}.onnx`), tinyMnistOnnx(copy));
    });
    writeFileSync(path("other.onnx"), trainTinyMnist(8).onnx);
  });

  const trace = async (suspect: string): Promise<TraceResult> => {
    const r = await runBazaar(["--json", "trace", suspect, "--ledger", ledgerPath, "--base", path("base.onnx")]);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as TraceResult;
  };

  it("names the buyer of each copy, white-box and black-box", async () => {
    for (const [i, buyer] of BUYERS.entries()) {
      const result = await trace(path(`copy${i}.onnx`));
      assert.deepEqual(result.blackBox.accused, [buyer], `black-box, copy ${i}`);
      assert.deepEqual(result.whiteBox?.accused, [buyer], `white-box, copy ${i}`);
      assert.deepEqual(result.accused, [buyer]);
    }
    const text = await runBazaar(["trace", path("copy1.onnx"), "--ledger", ledgerPath]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`^black-box \\(50 keyed triggers per buyer, 3 buyers\\): ${BUYERS[1]} \\(p-value [^)]+\\)\\nwhite-box: not run .*\\nnames ${BUYERS[1]}\\n$`));
  });

  it("names no one for an independently trained model, the unsold base, or a model of another task", async () => {
    for (const innocent of [path("other.onnx"), path("base.onnx")]) {
      const result = await trace(innocent);
      assert.deepEqual(result.accused, [], innocent);
    }
    const iris = await runBazaar(["trace", IRIS, "--ledger", ledgerPath]);
    assert.equal(iris.code, 1);
    assert.match(iris.stderr, /^bazaar: .*iris-logreg\.onnx takes 4 features per sample, but the inputs have 784\n$/);
  });

  it("refuses a file that is not a ledger, in one sentence", async () => {
    writeFileSync(path("bad.json"), JSON.stringify({ kind: "modelbazaar-fingerprint-ledger", version: 1, secret: "0x12" }));
    const r = await runBazaar(["trace", path("copy0.onnx"), "--ledger", path("bad.json")]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^bazaar: .*bad\.json: "secret" must be 32 bytes of 0x-hex\n$/);
  });

});
