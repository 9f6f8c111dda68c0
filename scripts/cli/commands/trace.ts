/**
 * `bazaar trace <suspect.onnx> --ledger <file> [--base <model.onnx>]`: which buyer's copy a
 * leaked model comes from (docs/PROTOCOL.md §7.2). Black-box: the suspect runs on every buyer's
 * keyed trigger set, scored by the binomial p-value of its matches. White-box (with --base, the
 * model the copies were made from): the suspect's weights minus the base's, correlated with each
 * buyer's keyed ±1 sequence (a z-score). Each mark accuses a buyer only below
 * FINGERPRINT_SIGNIFICANCE / buyers, so an unrelated model is named with probability at most
 * FINGERPRINT_SIGNIFICANCE per mark. Needs no chain: the ledger is the seller's.
 */
import { readFileSync, statSync } from "node:fs";
import type { Command } from "commander";
import {
  blackBoxTrace,
  concatenatedInputs,
  FINGERPRINT_LEDGER_LIMITS,
  FINGERPRINT_SIGNIFICANCE,
  FingerprintLedgerError,
  ledgerTriggerSets,
  parseFingerprintLedger,
  predictedClasses,
  whiteBoxTrace,
  type FingerprintLedger,
  type MarkTrace,
} from "@modelbazaar/sdk/protection";
import { modelScores } from "../../lib/modelScores.ts";
import { onnxWeights } from "../../lib/onnxWeights.ts";
import { CliError } from "../cliError.ts";
import { printResult, type GlobalOptions } from "../output.ts";

const { maxBytes, maxBuyers, maxTriggers, maxFeatureCount, maxClassCount, maxTraceDraws } = FINGERPRINT_LEDGER_LIMITS;
const LEDGER_LIMITS_HELP =
  `\nLedger limits (docs/PROTOCOL.md §7.3): at most ${maxBytes} bytes, ${maxBuyers} distinct buyers, ${maxTriggers} triggers, ${maxFeatureCount} features, ` +
  `2 to ${maxClassCount} classes, and ${maxTraceDraws} keyed draws per mark (buyers × triggers × features; buyers × the base's weights); trace a larger ledger in parts.`;

export function registerTrace(program: Command, globals: () => GlobalOptions): void {
  program
    .command("trace")
    .description("name the buyer whose fingerprinted copy a suspect model comes from (seller's tool; no chain needed)")
    .argument("<suspect.onnx>", "the leaked model")
    .requiredOption("--ledger <file>", "your fingerprint ledger (node scripts/train/fingerprint.ts writes it)")
    .option("--base <model.onnx>", "the model the copies were made from: adds the white-box trace (from the suspect's weights)")
    .addHelpText("after", LEDGER_LIMITS_HELP)
    .action(async (suspectPath: string, options: { ledger: string; base?: string }) => {
      const ledger = readLedger(options.ledger);
      const suspect = readFileSync(suspectPath);
      const weights = options.base === undefined ? undefined : whiteBoxWeights(ledger, suspect, suspectPath, options.base);
      const blackBox = await traceBlackBox(suspect, suspectPath, ledger);
      const whiteBox = weights === undefined ? undefined : whiteBoxTrace(ledger, weights.suspect, weights.base);
      const accused = [...new Set([...blackBox.accused, ...(whiteBox?.accused ?? [])])];
      printResult(globals(), { suspect: suspectPath, buyers: ledger.buyers.length, significance: FINGERPRINT_SIGNIFICANCE, accused, blackBox, whiteBox }, () =>
        [
          `black-box (${ledger.triggers} keyed triggers per buyer, ${ledger.buyers.length} buyers): ${verdict(blackBox)}`,
          whiteBox === undefined ? "white-box: not run (give --base <model.onnx>, the model the copies were made from)" : `white-box (weights against the base): ${verdict(whiteBox)}`,
          accused.length === 0 ? "names no one" : `names ${accused.join(", ")}`,
        ].join("\n"),
      );
    });
}

async function traceBlackBox(suspect: Uint8Array, source: string, ledger: FingerprintLedger): Promise<MarkTrace> {
  const sets = ledgerTriggerSets(ledger);
  const { scores, classCount } = await modelScores(suspect, concatenatedInputs(sets), ledger.featureCount, source);
  if (classCount !== ledger.classCount) throw new CliError(`${source} gives ${classCount} class scores per sample, but the ledger's model has ${ledger.classCount} classes`);
  return blackBoxTrace(ledger, sets, predictedClasses(scores, classCount));
}

function verdict(mark: MarkTrace): string {
  if (mark.scores.length === 0) return "the suspect's weights do not have the base's shape, so it is no copy of it";
  const best = [...mark.scores].sort((a, b) => a.pValue - b.pValue)[0]!;
  return mark.accused.length === 0
    ? `no buyer below the threshold (closest ${best.buyer}, p-value ${best.pValue.toExponential(2)})`
    : `${mark.accused.join(", ")} (p-value ${best.pValue.toExponential(2)})`;
}

/** The suspect's and the base's weights, refused before drawing when the buyers' signs over them would exceed the ledger's limit. */
function whiteBoxWeights(ledger: FingerprintLedger, suspect: Uint8Array, suspectPath: string, basePath: string): { suspect: Float64Array; base: Float64Array } {
  const weights = { suspect: onnxWeights(suspect, suspectPath), base: onnxWeights(readFileSync(basePath), basePath) };
  const draws = ledger.buyers.length * weights.base.length;
  if (weights.suspect.length === weights.base.length && draws > FINGERPRINT_LEDGER_LIMITS.maxTraceDraws) {
    throw new CliError(`the white-box trace of ${ledger.buyers.length} buyers over ${weights.base.length} weights draws ${draws} signs, more than a trace draws (${FINGERPRINT_LEDGER_LIMITS.maxTraceDraws}): trace fewer buyers at a time`);
  }
  return weights;
}

/** The ledger at `path`, refused in a sentence when it is no regular file, too large or malformed (FINGERPRINT_LEDGER_LIMITS). */
function readLedger(path: string): FingerprintLedger {
  const file = statSync(path);
  if (!file.isFile()) throw new CliError(`${path} is not a file, so not a fingerprint ledger`);
  if (file.size > FINGERPRINT_LEDGER_LIMITS.maxBytes) throw new CliError(`${path} is ${file.size} bytes, but a fingerprint ledger is at most ${FINGERPRINT_LEDGER_LIMITS.maxBytes}`);
  try {
    return parseFingerprintLedger(readFileSync(path, "utf8"), path);
  } catch (error) {
    if (error instanceof FingerprintLedgerError) throw new CliError(error.message);
    throw error;
  }
}
