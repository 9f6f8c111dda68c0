/**
 * `bazaar model check <model.onnx>`: reports whether a model can be evaluated under CKKS and
 * what it costs (offchain-worker/src/he/modelCheck.ts does the work).
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { CalibrationCsvError, formatReport, modelInputSize, parseCalibrationCsv } from "../../../offchain-worker/src/he/compiler/index.ts";
import { checkModel, DEFAULT_MEASURE_LIMIT_SECONDS, type ModelCheckResult } from "../../../offchain-worker/src/he/modelCheck.ts";
import { DEFAULT_MIN_AGREEMENT, LowAgreementError } from "../../../offchain-worker/src/he/planAgreement.ts";
import { durationText } from "@modelbazaar/sdk/labels";
import { CliError } from "../cliError.ts";
import { readTextFile } from "../csv.ts";
import { formatEstimate, modelCheckProgress } from "../modelCheckProgress.ts";
import { printResult, type GlobalOptions } from "../output.ts";

interface ModelCheckFlags {
  calibration?: string;
  degree: string;
  minAgreement: string;
  /** true: --measure, false: --no-measure, absent: measure when the estimate is at most a minute. */
  measure?: boolean;
}

/** "--min-agreement 90" -> 0.9; a sentence for anything that is not a percentage. */
function agreementFraction(text: string): number {
  const percent = Number(text);
  if (text.trim() === "" || !(percent >= 0 && percent <= 100)) throw new CliError(`--min-agreement must be a percentage from 0 to 100, not ${text}`);
  return percent / 100;
}

export function registerModelCheck(model: Command, globals: () => GlobalOptions): void {
  model
    .command("check")
    .description(
      "report supported operators, depth, CKKS parameters, key and ciphertext sizes, time per 1,000 samples and the accuracy change. " +
        "A model the worker could not evaluate is refused here, with the node or the limit (magnitude or depth) and what to change. " +
        "Progress goes to stderr (decoding, compiling node i of n, parameters, keys, each step of the measured batch, with the time elapsed), and before the one-batch measurement an estimate of its time and upload size priced on this machine in a second: " +
        "SEAL's and the residue kernel's operations timed in CPU time, times the plan's operation counts (linear layers on the kernel), at the share of a core the check got while timing (on a busy machine the batch takes longer than its CPU time; the report gives both). " +
        `The batch is measured when its estimate is at most ${durationText(DEFAULT_MEASURE_LIMIT_SECONDS)} (a CNN's takes minutes); otherwise the check says it skipped it`,
    )
    .argument("<model.onnx>", "the ONNX model file")
    .option(
      "--calibration <data.csv>",
      "calibration samples: a CSV with a header line, then one sample per line: the model's input features, optionally followed by a label column (class index or name, ignored), so a labelled test set works as it is",
    )
    .option("--degree <2|3|auto>", "degree of the polynomials replacing Relu, Sigmoid and Tanh (auto: 3 when the plan still fits the ring degree 2 needs)", "auto")
    .option(
      "--min-agreement <percent>",
      "fail (exit 1, before any measurement) when the HE-ready plan's argmax agrees with the original model's on fewer calibration samples than this",
      String(100 * DEFAULT_MIN_AGREEMENT),
    )
    .option("--measure", "measure the one-batch encryption/evaluation however long its estimate")
    .option("--no-measure", "skip the one-batch encryption/evaluation measurement (the estimate, priced in a second, stays)")
    .action(async (path: string, flags: ModelCheckFlags) => {
      if (flags.degree !== "2" && flags.degree !== "3" && flags.degree !== "auto") throw new CliError(`--degree must be 2, 3 or auto, not ${flags.degree}`);
      const minAgreement = agreementFraction(flags.minAgreement);
      const calibration = flags.calibration ? calibrationOf(path, flags.calibration) : undefined;
      const polynomialDegree = flags.degree === "auto" ? "auto" : (Number(flags.degree) as 2 | 3);
      try {
        const result = await checkModel(path, { calibration, polynomialDegree, minAgreement, measure: flags.measure, onProgress: modelCheckProgress() });
        printResult(globals(), result, () => formatCheck(result));
      } catch (error) {
        if (!(error instanceof LowAgreementError)) throw error;
        printResult(globals(), { report: error.report }, () => formatReport(error.report));
        throw new CliError(error.message);
      }
    });
}

/** The CSV's samples, as many features per row as the model's input takes (a trailing label column dropped). */
function calibrationOf(modelPath: string, csvPath: string): Float64Array {
  const text = readTextFile(csvPath);
  try {
    return parseCalibrationCsv(text, modelInputSize(readFileSync(modelPath)), csvPath).samples;
  } catch (error) {
    if (error instanceof CalibrationCsvError) throw new CliError(error.message);
    throw error;
  }
}

function formatCheck({ report, parameters, estimate, measurement, measurementSkipped }: ModelCheckResult): string {
  const p = parameters;
  const lines = [
    formatReport(report),
    `CKKS parameters (128-bit security): N = ${p.polyModulusDegree}, ${p.slots} samples per batch, modulus chain [${p.coeffModulusBits.join(", ")}] bits, scale 2^${p.scaleBits}`,
    formatEstimate(estimate),
    ...(measurementSkipped ? [measurementSkipped] : []),
  ];
  if (measurement) {
    const m = measurement;
    const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(2)} MiB`;
    lines.push(
      `measured on one batch of ${m.samples} samples: encrypt ${m.encryptSeconds.toFixed(2)} s, evaluate ${m.evaluateSeconds.toFixed(2)} s, decrypt ${m.decryptSeconds.toFixed(2)} s (${m.cpuSeconds.toFixed(2)} s of CPU; estimated ${estimate.cpuSeconds.toFixed(2)} s)`,
      `  => ${m.secondsPer1000Samples.toFixed(2)} s per 1,000 samples (full batches, one thread); max |HE - plain| score error ${m.maxScoreError.toExponential(2)}`,
      `  relinearization keys ${mb(m.relinKeyBytes)}, upload per batch ${mb(m.uploadBytes)}, result per batch ${mb(m.resultBytes)}`,
    );
  }
  return lines.join("\n");
}
