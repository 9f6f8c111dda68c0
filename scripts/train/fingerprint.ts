/**
 * Issues buyer-unique copies of a trained model (the marks: @modelbazaar/sdk/protection,
 * fingerprint.ts): the copy is fine-tuned briefly on clean training data with the buyer's own
 * keyed trigger set mixed in (the black-box mark), then every weight tensor moves by
 * `strength · rms(tensor)` along the buyer's keyed ±1 sequence (the white-box mark).
 *
 *   node scripts/train/fingerprint.ts --model NAME --ledger FILE --buyer ADDRESS... [--out DIR]
 *
 * trains the named shipped model (the same bytes as models/NAME.onnx: training is
 * deterministic), creates the ledger with a fresh secret when FILE does not exist, and writes
 * `<NAME>.<buyer>.onnx` per buyer into DIR (default: the ledger's directory).
 */
import { existsSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { bytesToHex, getAddress, isAddress, type Address } from "viem";
import { buyerTriggerSet, fingerprintSigns, parseFingerprintLedger, serializeFingerprintLedger, type FingerprintLedger } from "@modelbazaar/sdk/protection";
import { selectSamples, type Dataset } from "../lib/datasets/dataset.ts";
import { cloneNetwork } from "./cloneNetwork.ts";
import { fit, type TrainingHyperparameters } from "./fit.ts";
import type { Parameter } from "./layers/parameter.ts";
import { modelSpec } from "./modelSpecs.ts";
import type { Network } from "./network.ts";
import { exportOnnx } from "./onnxExport.ts";
import { trainModel } from "./trainModel.ts";
import { withTriggers } from "./watermark.ts";

export const DEFAULT_FINGERPRINT = { strength: 0.05, triggers: 50 } as const;

/** A new ledger for a model trained on `train`, with a fresh secret. */
export function newLedger(train: Dataset, buyers: readonly Address[], settings: { strength: number; triggers: number } = DEFAULT_FINGERPRINT): FingerprintLedger {
  const low = train.features.reduce((a, b) => Math.min(a, b), Infinity);
  const high = train.features.reduce((a, b) => Math.max(a, b), -Infinity);
  return { ...settings, secret: bytesToHex(crypto.getRandomValues(new Uint8Array(32))), featureCount: train.featureCount, classCount: train.classCount, featureLow: low, featureHigh: high, buyers };
}
/** Clean training samples the copy's fine-tune sees (with the buyer's triggers added). */
export const FINGERPRINT_TUNE_SAMPLES = 2_000;
export const FINGERPRINT_TUNE_EPOCHS = 3;
/** The share of the fine-tune's data that is the buyer's triggers. */
export const FINGERPRINT_TRIGGER_SHARE = 0.1;

/** The weight tensors the white-box mark moves, in name order: the ONNX file's float initializers of rank 2 or more. */
export function markedParameters(network: Network): Parameter[] {
  return network.parameters.filter((p) => p.shape.length >= 2).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The marked weights, concatenated in markedParameters order. */
export function markedWeights(network: Network): Float64Array {
  const tensors = markedParameters(network);
  const out = new Float64Array(tensors.reduce((n, p) => n + p.value.length, 0));
  let at = 0;
  for (const p of tensors) {
    out.set(p.value, at);
    at += p.value.length;
  }
  return out;
}

/** Turns `copy` (a clone of the base model) into `buyer`'s fingerprinted copy. */
export function fingerprintCopy(copy: Network, ledger: FingerprintLedger, buyer: Address, train: Dataset, hyper: TrainingHyperparameters): void {
  const clean = selectSamples(train, Uint32Array.from({ length: Math.min(FINGERPRINT_TUNE_SAMPLES, train.sampleCount) }, (_, i) => i));
  fit(copy, withTriggers(clean, buyerTriggerSet(ledger, buyer), FINGERPRINT_TRIGGER_SHARE), { ...hyper, epochs: FINGERPRINT_TUNE_EPOCHS, learningRate: hyper.learningRate / 2 });
  const signs = fingerprintSigns(ledger.secret, buyer, markedWeights(copy).length);
  let at = 0;
  for (const p of markedParameters(copy)) {
    const rms = Math.sqrt(p.value.reduce((s, v) => s + v * v, 0) / p.value.length);
    p.value.forEach((v, j) => (p.value[j] = v + ledger.strength * rms * signs[at + j]!));
    at += p.value.length;
  }
  copy.roundToFloat32();
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { model: { type: "string" }, ledger: { type: "string" }, buyer: { type: "string", multiple: true }, out: { type: "string" } } });
  if (!values.model || !values.ledger || !values.buyer?.length) throw new Error("usage: node scripts/train/fingerprint.ts --model NAME --ledger FILE --buyer ADDRESS... [--out DIR]");
  const spec = modelSpec(values.model);
  const buyers = values.buyer.map((b) => {
    if (!isAddress(b)) throw new Error(`--buyer takes an address, not "${b}".`);
    return getAddress(b);
  });
  const known = existsSync(values.ledger) ? parseFingerprintLedger(readFileSync(values.ledger, "utf8"), values.ledger) : undefined;
  const out = values.out ?? dirname(values.ledger);
  const base = trainModel(spec.name);
  const ledger: FingerprintLedger = known ? { ...known, buyers: [...known.buyers, ...buyers.filter((b) => !known.buyers.includes(b))] } : newLedger(base.split.train, buyers);
  parseFingerprintLedger(serializeFingerprintLedger(ledger), values.ledger); // before any training: a ledger `bazaar trace` would refuse (repeated buyers, past its limits) is not written
  for (const buyer of buyers) {
    const copy = cloneNetwork(spec.build, base.split, base.network);
    fingerprintCopy(copy, ledger, buyer, base.split.train, spec.hyperparameters);
    const path = join(out, `${spec.name}.${buyer}.onnx`);
    await writeFile(path, exportOnnx(copy, { graphName: spec.name, docString: spec.description, softmaxOutput: spec.softmaxOutput }));
    console.log(`${buyer}: copy -> ${path}`);
  }
  await writeFile(values.ledger, serializeFingerprintLedger(ledger), { mode: 0o600 });
  console.log(`ledger (keep it secret) -> ${values.ledger}: ${ledger.buyers.length} buyers`);
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    console.error(`fingerprint: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
