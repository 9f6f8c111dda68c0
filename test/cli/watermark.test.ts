/**
 * An ownership claim as a seller makes it, against a real local chain (test/helpers/cliStack.ts):
 * a small MNIST model trained with a watermark (scripts/train/watermark.ts) is listed with
 * `bazaar list --watermark <reveal>`, which puts the reveal's commitment on-chain; then
 * `bazaar watermark verify` on the real ONNX model:
 *  - the listed model reproduces its triggers: a tiny p-value, and the listing's timestamp;
 *  - a model trained without the watermark: a p-value far from significant;
 *  - a reveal that does not open the listing's commitment, and a listing with none: refused,
 *    one sentence, exit code 1, before the model is run.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { makeTriggerSet, serializeWatermarkReveal, watermarkCommitment } from "@modelbazaar/sdk/protection";
import { SeededRng } from "../../scripts/lib/datasets/seededRng.ts";
import { featureRanges } from "../../scripts/train/watermark.ts";
import { privateKeyToAccount } from "viem/accounts";
import { devAccountKey } from "../../scripts/lib/demoListings.ts";
import { CLI_TERMS, ROLES, startCliStack, type CliStack } from "../helpers/cliStack.ts";
import { tinyMnistTrain, trainTinyMnist } from "../helpers/tinyMnistModel.ts";

const MNIST_TERMS = { ...CLI_TERMS, task: { featureCount: 784, classCount: 10, scaleBits: 8, featureBits: 12 }, claimedAccuracyBps: 8_500, metadata: { uri: "models/mnist-logreg.json" } };

interface VerifyResult {
  listingId: string;
  listedAt: string;
  matches: number;
  triggers: number;
  pValue: number;
  watermarked: boolean;
}

describe("bazaar watermark verify (local chain)", { timeout: 600_000 }, () => {
  let stack: CliStack;
  const file = (name: string, contents: string | Uint8Array): string => {
    const path = join(stack.dir, name);
    writeFileSync(path, contents);
    return path;
  };
  before(async () => {
    stack = await startCliStack();
  });
  after(async () => stack?.stop());

  it("lists with the reveal's commitment, verifies the watermarked model, and finds none in an unwatermarked one", async () => {
    const triggerSet = (seed: number) => {
      const rng = new SeededRng(seed);
      return makeTriggerSet(50, featureRanges(tinyMnistTrain()), () => rng.uniform());
    };
    const secret = triggerSet(5);
    const other = triggerSet(6);
    const revealPath = file("model.watermark.json", serializeWatermarkReveal(secret));
    const marked = file("marked.onnx", trainTinyMnist(7, secret).onnx);
    const clean = file("clean.onnx", trainTinyMnist(8).onnx);
    const terms = file("terms.json", JSON.stringify(MNIST_TERMS));

    const listed = await stack.bazaar(["--json", "list", marked, "--terms", terms, "--no-contest", "--watermark", revealPath], ROLES.seller);
    assert.equal(listed.code, 0, listed.stderr);
    const { listingId, watermarkCommitment: onChain } = JSON.parse(listed.stdout) as { listingId: string; watermarkCommitment: string };
    assert.equal(onChain, watermarkCommitment(secret, privateKeyToAccount(devAccountKey(ROLES.seller)).address));

    // A front-runner copies the public commitment into a listing of its own (here after the
    // seller's; in the mempool it could come first): the owner's reveal does not open it.
    const copied = file("copied-terms.json", JSON.stringify({ ...MNIST_TERMS, watermarkCommitment: onChain }));
    const frontRun = await stack.bazaar(["--json", "list", marked, "--terms", copied, "--no-contest"], ROLES.cheat);
    assert.equal(frontRun.code, 0, frontRun.stderr);
    const { listingId: copyId } = JSON.parse(frontRun.stdout) as { listingId: string };
    const stolen = await stack.bazaar(["watermark", "verify", marked, "--reveal", revealPath, "--listing", copyId], null);
    assert.equal(stolen.code, 1, stolen.stdout);
    assert.match(stolen.stderr, new RegExp(`does not open listing ${copyId}'s watermark commitment: the listing holds ${onChain}, the reveal hashes to 0x[0-9a-f]{64} for its seller 0x`));

    const verified = await stack.bazaar(["--json", "watermark", "verify", marked, "--reveal", revealPath, "--listing", listingId], null);
    assert.equal(verified.code, 0, verified.stderr);
    const claim = JSON.parse(verified.stdout) as VerifyResult;
    assert.equal(claim.triggers, 50);
    assert.ok(claim.matches >= 35, `${claim.matches} of 50 triggers`);
    assert.ok(claim.pValue < 1e-20, `p-value ${claim.pValue}`);
    assert.equal(claim.watermarked, true);
    const block = await stack.publicClient.getBlock();
    assert.ok(Math.abs(Date.parse(claim.listedAt) / 1000 - Number(block.timestamp)) < 60, claim.listedAt);

    const innocent = await stack.bazaar(["--json", "watermark", "verify", clean, "--reveal", revealPath, "--listing", listingId], null);
    assert.equal(innocent.code, 0, innocent.stderr);
    const none = JSON.parse(innocent.stdout) as VerifyResult;
    assert.ok(none.matches <= 15, `${none.matches} of 50 triggers`);
    assert.ok(none.pValue > 1e-3, `p-value ${none.pValue}`);
    assert.equal(none.watermarked, false);

    const text = await stack.bazaar(["watermark", "verify", marked, "--reveal", revealPath, "--listing", listingId], null);
    assert.match(text.stdout, /reproduces \d+ of 50 trigger labels .*p-value \d\.\d\de-\d+\nthe suspect carries the listing's watermark/);

    const wrong = file("wrong.watermark.json", serializeWatermarkReveal(other));
    const refused = await stack.bazaar(["watermark", "verify", marked, "--reveal", wrong, "--listing", listingId], null);
    assert.equal(refused.code, 1, refused.stdout);
    assert.match(refused.stderr, new RegExp(`^bazaar: .*wrong\\.watermark\\.json does not open listing ${listingId}'s watermark commitment: the listing holds 0x[0-9a-f]{64}, the reveal hashes to 0x[0-9a-f]{64} for its seller 0x[0-9a-fA-F]{40}\\n$`));
  });

  it("refuses a claim on a listing without a watermark, and a reveal of another task at listing time", async () => {
    const rng = new SeededRng(9);
    const revealPath = file("other.watermark.json", serializeWatermarkReveal(makeTriggerSet(20, featureRanges(tinyMnistTrain()), () => rng.uniform())));
    const model = file("plain.onnx", trainTinyMnist(10).onnx);
    const listed = await stack.bazaar(["--json", "list", model, "--terms", file("plain-terms.json", JSON.stringify(MNIST_TERMS)), "--no-contest"], ROLES.seller);
    assert.equal(listed.code, 0, listed.stderr);
    const { listingId } = JSON.parse(listed.stdout) as { listingId: string };
    const refused = await stack.bazaar(["watermark", "verify", model, "--reveal", revealPath, "--listing", listingId], null);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, new RegExp(`^bazaar: listing ${listingId} commits to no watermark \\(its watermarkCommitment is zero\\)`));

    const irisReveal = file("iris.watermark.json", serializeWatermarkReveal({ featureCount: 4, classCount: 3, inputs: new Float32Array(4), labels: Uint8Array.of(1), salt: `0x${"22".repeat(32)}` }));
    const mismatch = await stack.bazaar(["list", model, "--terms", file("plain-terms2.json", JSON.stringify(MNIST_TERMS)), "--no-contest", "--watermark", irisReveal], ROLES.seller);
    assert.equal(mismatch.code, 1);
    assert.match(mismatch.stderr, /iris\.watermark\.json holds triggers of 4 features over 3 classes, but the task has 784 and 10: it is another model's watermark/);
  });
});
