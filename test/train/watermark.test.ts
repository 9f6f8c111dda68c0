/**
 * The trainer's watermark (scripts/train/watermark.ts, `train.ts --watermark`): the CLI writes a
 * reveal file, readable by its owner only, whose commitment is the one it prints; triggers lie in
 * the training data's range of each feature and make about 5% of what training sees; a bad
 * trigger count is refused before anything is trained.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { makeTriggerSet, parseWatermarkReveal, watermarkDigest } from "@modelbazaar/sdk/protection";
import { loadIris } from "../../scripts/lib/datasets/iris.ts";
import { SeededRng } from "../../scripts/lib/datasets/seededRng.ts";
import { featureRanges, TRIGGER_TRAINING_SHARE, withTriggers } from "../../scripts/train/watermark.ts";

const run = promisify(execFile);

describe("trainer watermark", () => {
  it("train.ts --watermark writes the reveal whose digest it prints, readable by its owner only", async () => {
    const out = await mkdtemp(join(tmpdir(), "train-wm-"));
    try {
      const { stdout } = await run(process.execPath, ["scripts/train/train.ts", "--only", "iris-logreg", "--out", out, "--watermark", "12"]);
      const path = join(out, "iris-logreg.watermark.json");
      const reveal = parseWatermarkReveal(await readFile(path, "utf8"), path);
      assert.equal(reveal.labels.length, 12);
      assert.equal(reveal.featureCount, 4);
      assert.match(stdout, new RegExp(`watermark: 12 triggers, digest ${watermarkDigest(reveal)}; reveal \\(keep it secret\\) -> ${path.replace(/[.]/g, "\\.")}`));
      assert.equal((await stat(path)).mode & 0o777, 0o600);
      await assert.rejects(run(process.execPath, ["scripts/train/train.ts", "--only", "iris-logreg", "--out", out, "--watermark", "0"]), (e: { code?: number; stderr?: string }) => {
        assert.equal(e.code, 1);
        assert.match(e.stderr ?? "", /train: --watermark takes a number of triggers from 1 to 10000, not "0"\./);
        return true;
      });
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it("draws triggers within each feature's training range, and mixes them in at about 5%", () => {
    const { train } = loadIris();
    const space = featureRanges(train);
    const rng = new SeededRng(3);
    const reveal = makeTriggerSet(10, space, () => rng.uniform());
    reveal.inputs.forEach((x, i) => assert.ok(x >= Math.fround(space.low[i % 4]!) && x <= Math.fround(space.high[i % 4]!), `feature ${i % 4}: ${x}`));
    const mixed = withTriggers(train, reveal);
    const share = (mixed.sampleCount - train.sampleCount) / mixed.sampleCount;
    assert.ok(Math.abs(share - TRIGGER_TRAINING_SHARE) < 0.03, `share ${share}`);
    assert.deepEqual(mixed.labels.subarray(train.sampleCount, train.sampleCount + 10), reveal.labels);
  });
});
