/**
 * `bazaar trace <suspect.onnx> --ledger <file> [--base <model.onnx>]`: which buyer's copy a
 * leaked model comes from (docs/PROTOCOL.md §8.2). Black-box: the suspect runs on every buyer's
 * keyed trigger set, scored by the binomial p-value of its matches. White-box (with --base, the
 * model the copies were made from): the suspect's weights minus the base's, correlated with each
 * buyer's keyed ±1 sequence (a z-score). Each mark accuses a buyer only below
 * FINGERPRINT_SIGNIFICANCE / buyers, so an unrelated model is named with probability at most
 * FINGERPRINT_SIGNIFICANCE per mark. Needs no chain: the ledger is the seller's.
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import type { Address } from "viem";
import {
  accusedBuyers,
  buyerTriggerSet,
  FINGERPRINT_SIGNIFICANCE,
  fingerprintSigns,
  FingerprintLedgerError,
  normalUpperTail,
  parseFingerprintLedger,
  predictedClasses,
  triggerEvidence,
  whiteBoxScore,
  type BuyerScore,
  type FingerprintLedger,
} from "@modelbazaar/sdk/protection";
import { modelScores } from "../../lib/modelScores.ts";
import { onnxWeights } from "../../lib/onnxWeights.ts";
import { CliError } from "../cliError.ts";
import { printResult, type GlobalOptions } from "../output.ts";

interface MarkResult {
  readonly scores: readonly (BuyerScore & { readonly statistic: number })[];
  readonly accused: readonly Address[];
}

export function registerTrace(program: Command, globals: () => GlobalOptions): void {
  program
    .command("trace")
    .description("name the buyer whose fingerprinted copy a suspect model comes from (seller's tool; no chain needed)")
    .argument("<suspect.onnx>", "the leaked model")
    .requiredOption("--ledger <file>", "your fingerprint ledger (node scripts/train/fingerprint.ts writes it)")
    .option("--base <model.onnx>", "the model the copies were made from: adds the white-box trace (from the suspect's weights)")
    .action(async (suspectPath: string, options: { ledger: string; base?: string }) => {
      const ledger = readLedger(options.ledger);
      const suspect = readFileSync(suspectPath);
      const blackBox = await traceBlackBox(suspect, suspectPath, ledger);
      const whiteBox = options.base === undefined ? undefined : traceWhiteBox(suspect, suspectPath, readFileSync(options.base), options.base, ledger);
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

async function traceBlackBox(suspect: Uint8Array, source: string, ledger: FingerprintLedger): Promise<MarkResult> {
  const sets = ledger.buyers.map((buyer) => buyerTriggerSet(ledger, buyer));
  const inputs = new Float32Array(sets.reduce((n, s) => n + s.inputs.length, 0));
  sets.forEach((s, i) => inputs.set(s.inputs, i * s.inputs.length));
  const { scores, classCount } = await modelScores(suspect, inputs, ledger.featureCount, source);
  if (classCount !== ledger.classCount) throw new CliError(`${source} gives ${classCount} class scores per sample, but the ledger's model has ${ledger.classCount} classes`);
  const predicted = predictedClasses(scores, classCount);
  const buyerScores = sets.map((set, i) => {
    const evidence = triggerEvidence(predicted.subarray(i * ledger.triggers, (i + 1) * ledger.triggers), set.labels, classCount);
    return { buyer: ledger.buyers[i]!, pValue: evidence.pValue, statistic: evidence.matches };
  });
  return { scores: buyerScores, accused: accusedBuyers(buyerScores).map((s) => s.buyer) };
}

function traceWhiteBox(suspect: Uint8Array, source: string, base: Uint8Array, baseSource: string, ledger: FingerprintLedger): MarkResult {
  const baseWeights = onnxWeights(base, baseSource);
  const suspectWeights = onnxWeights(suspect, source);
  if (suspectWeights.length !== baseWeights.length) return { scores: [], accused: [] }; // another architecture: no copy of the base
  const scores = ledger.buyers.map((buyer) => {
    const z = whiteBoxScore(suspectWeights, baseWeights, fingerprintSigns(ledger.secret, buyer, baseWeights.length));
    return { buyer, pValue: normalUpperTail(z), statistic: z };
  });
  return { scores, accused: accusedBuyers(scores).map((s) => s.buyer) };
}

function verdict(mark: MarkResult): string {
  if (mark.scores.length === 0) return "the suspect's weights do not have the base's shape, so it is no copy of it";
  const best = [...mark.scores].sort((a, b) => a.pValue - b.pValue)[0]!;
  return mark.accused.length === 0
    ? `no buyer below the threshold (closest ${best.buyer}, p-value ${best.pValue.toExponential(2)})`
    : `${mark.accused.join(", ")} (p-value ${best.pValue.toExponential(2)})`;
}

function readLedger(path: string): FingerprintLedger {
  try {
    return parseFingerprintLedger(readFileSync(path, "utf8"), path);
  } catch (error) {
    if (error instanceof FingerprintLedgerError) throw new CliError(error.message);
    throw error;
  }
}
