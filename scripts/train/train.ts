/**
 * The model trainer's command line: trains the shipped models and writes each `.onnx` with
 * its model card, printing accuracy and time per model.
 *
 *   node scripts/train/train.ts [--only NAME]... [--out DIR] [--csv] [--verbose]
 *
 * --only may be repeated (default: every model); --out defaults to models/; --csv also
 * writes each data set's held-out test split as `<dataset>-test.csv` (a buyer's test set);
 * --verbose prints the mean training loss of every epoch.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { writeTestSetCsv } from "../lib/datasets/testSetCsv.ts";
import { MODEL_NAMES, modelSpec } from "./modelSpecs.ts";
import { trainModel, writeTrainedModel } from "./trainModel.ts";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { only: { type: "string", multiple: true }, out: { type: "string", default: "models" }, csv: { type: "boolean", default: false }, verbose: { type: "boolean", default: false } },
  });
  const names = values.only ?? [...MODEL_NAMES];
  names.forEach(modelSpec); // fail on an unknown name before training anything
  const started = performance.now();
  const csvWritten = new Set<string>();
  for (const name of names) {
    const t0 = performance.now();
    const model = trainModel(name, values.verbose ? (epoch, loss) => console.log(`  ${name} epoch ${epoch}: loss ${loss.toFixed(4)}`) : undefined);
    const seconds = (performance.now() - t0) / 1000;
    const { onnxPath } = await writeTrainedModel(values.out, model);
    const { card } = model;
    console.log(
      `${name}: test accuracy ${(card.testAccuracyBps / 100).toFixed(2)}% (train ${(card.trainAccuracyBps / 100).toFixed(2)}%), ` +
        `${card.onnx.bytes} bytes -> ${onnxPath}, trained in ${seconds.toFixed(1)} s`,
    );
    if (values.csv && !csvWritten.has(card.dataset)) {
      csvWritten.add(card.dataset);
      await writeTestSetCsv(join(values.out, `${card.dataset}-test.csv`), model.split.test);
    }
  }
  console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(`train: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
