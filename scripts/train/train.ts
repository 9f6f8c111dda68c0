/**
 * The model trainer's command line: trains the shipped models and writes each `.onnx` with
 * its model card, printing accuracy and time per model.
 *
 *   node scripts/train/train.ts [--only NAME]... [--out DIR] [--csv] [--verbose] [--watermark COUNT]
 *
 * --only may be repeated (default: every model); --out defaults to models/; --csv also
 * writes each data set's held-out test split as `<dataset>-test.csv` (a buyer's test set);
 * --verbose prints the mean training loss of every epoch; --watermark embeds a backdoor
 * watermark of COUNT secret triggers (scripts/train/watermark.ts) and writes its reveal as
 * `<name>.watermark.json`: the seller's secret, whose commitment `bazaar list --watermark`
 * puts on-chain and which `bazaar watermark verify` checks a suspect model against.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { writeFile } from "node:fs/promises";
import { makeTriggerSet, serializeWatermarkReveal, triggerCount, watermarkDigest } from "@modelbazaar/sdk/protection";
import { writeTestSetCsv } from "../lib/datasets/testSetCsv.ts";
import { loadSplit } from "./trainModel.ts";
import { cryptoUniform, featureRanges } from "./watermark.ts";
import { MODEL_NAMES, modelSpec } from "./modelSpecs.ts";
import { trainModel, writeTrainedModel } from "./trainModel.ts";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { only: { type: "string", multiple: true }, out: { type: "string", default: "models" }, csv: { type: "boolean", default: false }, verbose: { type: "boolean", default: false }, watermark: { type: "string" } },
  });
  const names = values.only ?? [...MODEL_NAMES];
  names.forEach(modelSpec); // fail on an unknown name before training anything
  const watermarkTriggers = values.watermark === undefined ? undefined : triggerCountOption(values.watermark);
  const started = performance.now();
  const csvWritten = new Set<string>();
  for (const name of names) {
    const t0 = performance.now();
    const watermark = watermarkTriggers === undefined ? undefined : makeTriggerSet(watermarkTriggers, featureRanges(loadSplit(modelSpec(name).dataset).train), cryptoUniform);
    const model = trainModel(name, values.verbose ? (epoch, loss) => console.log(`  ${name} epoch ${epoch}: loss ${loss.toFixed(4)}`) : undefined, watermark);
    const seconds = (performance.now() - t0) / 1000;
    const { onnxPath } = await writeTrainedModel(values.out, model);
    const { card } = model;
    console.log(
      `${name}: test accuracy ${(card.testAccuracyBps / 100).toFixed(2)}% (train ${(card.trainAccuracyBps / 100).toFixed(2)}%), ` +
        `${card.onnx.bytes} bytes -> ${onnxPath}, trained in ${seconds.toFixed(1)} s`,
    );
    if (watermark) {
      const revealPath = join(values.out, `${name}.watermark.json`);
      await writeFile(revealPath, serializeWatermarkReveal(watermark), { mode: 0o600 });
      console.log(`  watermark: ${triggerCount(watermark)} triggers, digest ${watermarkDigest(watermark)}; reveal (keep it secret) -> ${revealPath}`);
    }
    if (values.csv && !csvWritten.has(card.dataset)) {
      csvWritten.add(card.dataset);
      await writeTestSetCsv(join(values.out, `${card.dataset}-test.csv`), model.split.test);
    }
  }
  console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

function triggerCountOption(text: string): number {
  const count = Number(text);
  if (!Number.isInteger(count) || count < 1 || count > 10_000) throw new Error(`--watermark takes a number of triggers from 1 to 10000, not "${text}".`);
  return count;
}

main().catch((error: unknown) => {
  console.error(`train: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
