/**
 * `bazaar trace` as a seller runs it (a child process), on real ONNX copies made by the
 * trainer's fingerprinting (scripts/train/fingerprint.ts) of a small MNIST model for three
 * buyers: each copy is traced to its own buyer, white-box (weights against the base) and
 * black-box (its answers on each buyer's keyed triggers); an independently trained model, the
 * unsold base itself and a model of another shape name no one; a malformed or hostile ledger
 * (docs/PROTOCOL.md §7.3's limits) is refused with a sentence before any trigger is drawn.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
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
const CRYPTONETS = new URL("../../models/mnist-cryptonets.onnx", import.meta.url).pathname;
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

  it("refuses every hostile ledger in one sentence, before drawing its triggers", async () => {
    const valid = JSON.parse(readFileSync(ledgerPath, "utf8")) as Record<string, unknown>;
    const json = (changes: Record<string, unknown>) => JSON.stringify({ ...valid, ...changes });
    const addresses = (n: number) => Array.from({ length: n }, (_, i) => `0x${(i + 1).toString(16).padStart(40, "0")}`);
    mkdirSync(path("a-directory"), { recursive: true });
    const cases: [name: string, ledger: string, sentence: RegExp][] = [
      ["a number", "42", /is not a fingerprint ledger \(kind "modelbazaar-fingerprint-ledger", version 1\)/],
      ["null", "null", /is not a fingerprint ledger/],
      ["a list", "[]", /is not a fingerprint ledger/],
      ["truncated", readFileSync(ledgerPath, "utf8").slice(0, 100), /is not JSON, so not a fingerprint ledger$/],
      ["a short secret", json({ secret: `0x${"ab".repeat(31)}` }), /"secret" must be 32 bytes of 0x-hex$/],
      ["a numeric secret", json({ secret: 5 }), /"secret" must be 32 bytes of 0x-hex$/],
      ["a strength of text", json({ strength: "big" }), /"strength" must be a number above 0 and at most 1$/],
      ["triggers as text", json({ triggers: "50" }), /"triggers" must be a whole number from 1 to 1000$/],
      ["a trillion triggers", json({ triggers: 1e12 }), /"triggers" must be a whole number from 1 to 1000$/],
      ["a billion features", json({ featureCount: 1e9 }), /"featureCount" must be a whole number from 1 to 1048576$/],
      ["100,000 classes", json({ classCount: 100_000 }), /"classCount" must be a whole number from 2 to 256$/],
      ["an infinite bound", json({ featureHigh: 0 }).replace('"featureHigh":0', '"featureHigh":1e999'), /"featureLow" and "featureHigh" must be finite float32 numbers, the first below the second$/],
      ["a huge bound", json({ featureLow: -1e300 }), /"featureLow" and "featureHigh" must be finite float32 numbers, the first below the second$/],
      ["bounds the wrong way round", json({ featureLow: 1, featureHigh: 0 }), /"featureLow" and "featureHigh" must be finite float32 numbers, the first below the second$/],
      ["buyers as one string", json({ buyers: BUYERS[0] }), /"buyers" must be a list of 1 to 1000 addresses$/],
      ["no buyers", json({ buyers: [] }), /"buyers" must be a list of 1 to 1000 addresses$/],
      ["5,000 buyers", json({ buyers: addresses(5_000) }), /"buyers" must be a list of 1 to 1000 addresses$/],
      ["a malformed address", json({ buyers: [BUYERS[0], "0x12345"] }), /"buyers"\[1\] is not an address$/],
      ["a number for an address", json({ buyers: [7] }), /"buyers"\[0\] is not an address$/],
      ["a repeated buyer", json({ buyers: [BUYERS[0], BUYERS[1], BUYERS[0]!.toUpperCase().replace("0X", "0x")] }), /"buyers"\[2\] repeats "buyers"\[0\]$/],
      ["too many trigger values", json({ buyers: addresses(1_000) }), /1000 buyers × 50 triggers × 784 features is 39200000 trigger values, more than a trace draws \(16777216\): trace fewer buyers at a time$/],
      ["a ledger padded to 2 MiB", `${" ".repeat(2 * 1024 * 1024)}${json({})}`, /is 2\d{6} bytes, but a fingerprint ledger is at most 1048576$/],
    ];
    for (const [name, ledger, sentence] of cases) {
      writeFileSync(path("hostile.json"), ledger);
      const r = await runBazaar(["trace", path("copy0.onnx"), "--ledger", path("hostile.json")]);
      assert.equal(r.code, 1, `${name}: ${r.stderr}`);
      assert.match(r.stderr, /^bazaar: [^\n]*\n$/, `${name}: one line`);
      assert.match(r.stderr.trimEnd(), sentence, name);
    }
    for (const notAFile of [path("a-directory"), "/dev/zero"]) {
      const r = await runBazaar(["trace", path("copy0.onnx"), "--ledger", notAFile]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /^bazaar: .* is not a file, so not a fingerprint ledger\n$/, notAFile);
    }
  });

  it("refuses a white-box trace that would draw more than the limit, before drawing", async () => {
    const valid = JSON.parse(readFileSync(ledgerPath, "utf8")) as Record<string, unknown>;
    const buyers = Array.from({ length: 1_000 }, (_, i) => `0x${(i + 1).toString(16).padStart(40, "0")}`);
    writeFileSync(path("many-buyers.json"), JSON.stringify({ ...valid, triggers: 1, buyers }));
    const r = await runBazaar(["trace", CRYPTONETS, "--ledger", path("many-buyers.json"), "--base", CRYPTONETS]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^bazaar: the white-box trace of 1000 buyers over \d+ weights draws \d+ signs, more than a trace draws \(16777216\): trace fewer buyers at a time\n$/);
  });
});
