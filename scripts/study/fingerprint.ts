/**
 * The fingerprint study (issue #15, item 4): what a buyer-unique copy (scripts/train/fingerprint.ts)
 * costs in test accuracy; how often a trace accuses an innocent (independently trained models
 * against many ledgers, and other buyers' copies); and whether a leaked copy is still traced
 * after fine-tuning, pruning, and averaging two buyers' copies (collusion). White-box and
 * black-box traces are the SDK's (@modelbazaar/sdk/protection: fingerprintTrace.ts), the models
 * the trainer's networks on float32 weights. Writes docs/studies/fingerprint.{md,json}.
 *
 *   node scripts/study/fingerprint.ts [--quick] [--out DIR]
 */
import { bytesToHex, getAddress, keccak256, toHex, type Address, type Hex } from "viem";
import { blackBoxTrace, concatenatedInputs, ledgerTriggerSets, whiteBoxTrace, type FingerprintLedger, type MarkTrace } from "@modelbazaar/sdk/protection";
import { makeDataset, selectSamples, type DatasetSplit } from "../lib/datasets/dataset.ts";
import { loadMnist } from "../lib/datasets/mnist.ts";
import { SeededRng } from "../lib/datasets/seededRng.ts";
import { fingerprintCopy, markedWeights, newLedger } from "../train/fingerprint.ts";
import type { Network } from "../train/network.ts";
import { accuracy, averageNetworks, cloneStudyNetwork, fineTune, predictions, pruneByMagnitude, STUDY_MODELS, trainStudyModel, type StudyModel } from "./protectionStudyModels.ts";
import { percent, pText, studyArgs, writeStudy } from "./studyArgs.ts";

interface Trace {
  readonly whiteBox: MarkTrace;
  readonly blackBox: MarkTrace;
}

interface AttackRow {
  readonly attack: string;
  readonly leakers: readonly Address[];
  readonly testAccuracy: number;
  /** Per leaker: white-box z and black-box trigger matches, with p-values. */
  readonly leakerScores: readonly { buyer: Address; z: number; zP: number; matches: number; matchP: number }[];
  readonly whiteBoxAccused: readonly Address[];
  readonly blackBoxAccused: readonly Address[];
}

interface ModelResult {
  readonly model: string;
  readonly buyers: number;
  readonly baseTestAccuracy: number;
  readonly copyTestAccuracy: { mean: number; min: number; max: number };
  readonly ownCopies: { whiteBoxNamedAlone: number; blackBoxNamedAlone: number; otherBuyerPairs: number; otherBuyersAccused: number };
  readonly innocents: { models: number; ledgers: number; pairs: number; whiteBoxAccusations: number; blackBoxAccusations: number; minWhiteBoxP: number; minBlackBoxP: number };
  readonly attacks: readonly AttackRow[];
}

const range = (from: number, to: number) => Uint32Array.from({ length: to - from }, (_, i) => from + i);
const buyerAddress = (i: number): Address => getAddress(`0x${keccak256(toHex(`study buyer ${i}`)).slice(26)}`);
const seededSecret = (seed: number): Hex => {
  const rng = new SeededRng(seed);
  return bytesToHex(Uint8Array.from({ length: 32 }, () => Math.floor(rng.uniform() * 256)));
};

async function main(): Promise<void> {
  const { quick, out } = studyArgs();
  const split = loadMnist();
  const results: ModelResult[] = [];
  for (const model of quick ? STUDY_MODELS.slice(0, 1) : STUDY_MODELS.slice(0, 2)) {
    const t0 = performance.now();
    results.push(studyModel(model, split, quick));
    console.log(`${model.name}: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  await writeStudy(out, "fingerprint", { quick, results }, report(results, quick));
}

function studyModel(model: StudyModel, split: DatasetSplit, quick: boolean): ModelResult {
  const epochs = quick ? 2 : undefined;
  const buyerCount = quick ? 4 : 10;
  const base = trainStudyModel(model, split, split.train, { epochs });
  const baseWeights = markedWeights(base);
  const ledger: FingerprintLedger = { ...newLedger(split.train, Array.from({ length: buyerCount }, (_, i) => buyerAddress(i))), secret: seededSecret(31) };
  // A ledger's trigger sets cost thousands of keccak256 each: drawn once per ledger.
  const triggersOf = (against: FingerprintLedger) => {
    const sets = ledgerTriggerSets(against);
    const inputs = concatenatedInputs(sets);
    return { sets, queries: makeDataset(Float64Array.from(inputs), new Uint8Array(inputs.length / against.featureCount), against.featureCount, against.classCount) };
  };
  const ownTriggers = triggersOf(ledger);
  const trace = (network: Network, against = ledger, { sets, queries } = ownTriggers): Trace => ({
    whiteBox: whiteBoxTrace(against, markedWeights(network), baseWeights),
    blackBox: blackBoxTrace(against, sets, predictions(network, queries)),
  });
  const copies = ledger.buyers.map((buyer) => {
    const copy = cloneStudyNetwork(model, split, base);
    fingerprintCopy(copy, ledger, buyer, split.train, model.hyperparameters);
    return copy;
  });
  const copyAccuracies = copies.map((c) => accuracy(c, split.test));

  // Own copies: named alone? Other buyers accused?
  let whiteAlone = 0;
  let blackAlone = 0;
  let othersAccused = 0;
  copies.forEach((copy, i) => {
    const t = trace(copy);
    const buyer = ledger.buyers[i]!;
    if (t.whiteBox.accused.length === 1 && t.whiteBox.accused[0] === buyer) whiteAlone++;
    if (t.blackBox.accused.length === 1 && t.blackBox.accused[0] === buyer) blackAlone++;
    othersAccused += new Set([...t.whiteBox.accused, ...t.blackBox.accused].filter((b) => b !== buyer)).size;
  });

  // Innocents: independently trained models (and the unsold base), each against many ledgers.
  const innocentModels = [base, ...Array.from({ length: quick ? 1 : 3 }, (_, k) => trainStudyModel(model, split, split.train, { seed: 1_000 + k, epochs: quick ? 2 : 5 }))];
  const ledgerCount = quick ? 3 : model.name === "mnist-logreg" ? 10 : 4;
  let whiteFalse = 0;
  let blackFalse = 0;
  let minWhite = 1;
  let minBlack = 1;
  for (let l = 0; l < ledgerCount; l++) {
    const other = { ...ledger, secret: seededSecret(10_000 + l) };
    const otherTriggers = triggersOf(other);
    for (const innocent of innocentModels) {
      const t = trace(innocent, other, otherTriggers);
      whiteFalse += t.whiteBox.accused.length;
      blackFalse += t.blackBox.accused.length;
      minWhite = Math.min(minWhite, ...t.whiteBox.scores.map((s) => s.pValue));
      minBlack = Math.min(minBlack, ...t.blackBox.scores.map((s) => s.pValue));
    }
  }

  // Attacks on leaked copies (the thief's clean data: 2,000 training digits the fingerprint's fine-tune did not use).
  const attackerData = selectSamples(split.train, range(4_000, 6_000));
  const lr = model.hyperparameters.learningRate;
  const attacked: [string, Address[], Network][] = [["none", [ledger.buyers[0]!], copies[0]!]];
  for (const [tuneEpochs, rate] of quick ? ([[1, lr]] as const) : ([[1, lr / 10], [5, lr], [10, lr]] as const)) {
    const copy = cloneStudyNetwork(model, split, copies[0]!);
    fineTune(model, copy, attackerData, tuneEpochs, rate);
    attacked.push([`fine-tune ${tuneEpochs} epochs at lr ${rate} on 2000 clean digits`, [ledger.buyers[0]!], copy]);
  }
  for (const rate of [0.25, 0.5, 0.75]) {
    const copy = cloneStudyNetwork(model, split, copies[0]!);
    pruneByMagnitude(copy, rate);
    attacked.push([`prune ${rate * 100}% of each weight tensor`, [ledger.buyers[0]!], copy]);
  }
  attacked.push(["average two buyers' copies", [ledger.buyers[0]!, ledger.buyers[1]!], averageNetworks(model, split, copies[0]!, copies[1]!)]);
  const averagedThenTuned = averageNetworks(model, split, copies[0]!, copies[1]!);
  fineTune(model, averagedThenTuned, attackerData, quick ? 1 : 5, lr);
  attacked.push([`average two copies, then fine-tune ${quick ? 1 : 5} epochs at lr ${lr}`, [ledger.buyers[0]!, ledger.buyers[1]!], averagedThenTuned]);
  const attacks = attacked.map(([attack, leakers, network]): AttackRow => {
    const t = trace(network);
    return {
      attack,
      leakers,
      testAccuracy: accuracy(network, split.test),
      leakerScores: leakers.map((buyer) => {
        const w = t.whiteBox.scores.find((s) => s.buyer === buyer)!;
        const b = t.blackBox.scores.find((s) => s.buyer === buyer)!;
        return { buyer, z: w.statistic, zP: w.pValue, matches: b.statistic, matchP: b.pValue };
      }),
      whiteBoxAccused: t.whiteBox.accused,
      blackBoxAccused: t.blackBox.accused,
    };
  });
  return {
    model: model.name,
    buyers: buyerCount,
    baseTestAccuracy: accuracy(base, split.test),
    copyTestAccuracy: { mean: copyAccuracies.reduce((a, b) => a + b, 0) / copyAccuracies.length, min: Math.min(...copyAccuracies), max: Math.max(...copyAccuracies) },
    ownCopies: { whiteBoxNamedAlone: whiteAlone, blackBoxNamedAlone: blackAlone, otherBuyerPairs: buyerCount * (buyerCount - 1), otherBuyersAccused: othersAccused },
    innocents: { models: innocentModels.length, ledgers: ledgerCount, pairs: innocentModels.length * ledgerCount * buyerCount, whiteBoxAccusations: whiteFalse, blackBoxAccusations: blackFalse, minWhiteBoxP: minWhite, minBlackBoxP: minBlack },
    attacks,
  };
}

function report(results: readonly ModelResult[], quick: boolean): string {
  const lines = [
    "# Fingerprint study: accuracy cost, false accusations, traceability",
    "",
    "Generated by `node scripts/study/fingerprint.ts`" + (quick ? " --quick (a smoke run: fewer epochs, buyers and ledgers; not the study's numbers)" : "") + "; raw numbers in [fingerprint.json](fingerprint.json).",
    "",
    "Each buyer's copy (scripts/train/fingerprint.ts): 3 epochs of fine-tuning on 2,000 clean training digits with the buyer's 50 keyed triggers (10% of that data), then every weight tensor moved by 0.05 of its RMS along the buyer's keyed ±1 sequence. " +
      "A trace accuses a buyer when its p-value is below 0.001 / buyers, per mark (white-box: z-score of the weight difference from the base against the buyer's sequence; black-box: binomial p-value of the buyer's trigger labels matched). " +
      "Test accuracy on the 2,000 held-out digits; the thief's clean data for fine-tuning: 2,000 training digits the fingerprinting did not use.",
    "",
  ];
  for (const r of results) {
    const i = r.innocents;
    lines.push(
      `## ${r.model}`,
      "",
      `- Accuracy cost: base ${percent(r.baseTestAccuracy)}, copies ${percent(r.copyTestAccuracy.mean)} on average (${percent(r.copyTestAccuracy.min)} to ${percent(r.copyTestAccuracy.max)}), over ${r.buyers} buyers.`,
      `- Own copies traced to their buyer alone: white-box ${r.ownCopies.whiteBoxNamedAlone}/${r.buyers}, black-box ${r.ownCopies.blackBoxNamedAlone}/${r.buyers}; other buyers accused in the ${r.ownCopies.otherBuyerPairs} (copy, other buyer) pairs: ${r.ownCopies.otherBuyersAccused}.`,
      `- Innocent models (the unsold base and ${i.models - 1} independently trained models) against ${i.ledgers} ledgers of ${r.buyers} buyers each (${i.pairs} model-buyer pairs per mark): white-box accusations ${i.whiteBoxAccusations} (smallest p-value ${pText(i.minWhiteBoxP)}), black-box accusations ${i.blackBoxAccusations} (smallest p-value ${pText(i.minBlackBoxP)}).`,
      "",
      "| leaked copy | test accuracy | white-box z (p) of the leaker(s) | black-box matches /50 (p) | white-box names | black-box names |",
      "|---|---|---|---|---|---|",
    );
    for (const a of r.attacks) {
      const names = (list: readonly Address[]) => (list.length === 0 ? "no one" : list.map((b) => (a.leakers.includes(b) ? `leaker ${b.slice(0, 6)}` : `INNOCENT ${b.slice(0, 6)}`)).join(", "));
      lines.push(
        `| ${a.attack} | ${percent(a.testAccuracy)} | ${a.leakerScores.map((s) => `${s.z.toFixed(1)} (${pText(s.zP)})`).join("; ")} | ${a.leakerScores.map((s) => `${s.matches} (${pText(s.matchP)})`).join("; ")} | ${names(a.whiteBoxAccused)} | ${names(a.blackBoxAccused)} |`,
      );
    }
    lines.push("");
  }
  return `${lines.join("\n")}\n`;
}

main().catch((error: unknown) => {
  console.error(`fingerprint study: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
