/**
 * The input of the Open circuit Open(N, K = 16) (circuits/open.circom, docs/DISPUTES.md §5.2):
 * the buyer's opening of the k_eff samples a contest drew (challengeIndices.ts), proving that
 * the (label, prediction) pairs it publishes are the ones C_D and C_P commit to at those
 * indices, without revealing any other sample.
 *
 * Public signals, in order (9 for K = 16):
 *   context               the v2 packing the refund proved (disputeContextV2.ts)
 *   dataCommitment        C_D
 *   predictionCommitment  C_P
 *   indices[2]            the K indices in 16-bit lanes, 15 per word, least significant first,
 *                         then k_eff as lane K (word 1 = idx_15 + k_eff·2^16); slots >= k_eff 0
 *   featuresRoot          D (an input the contract passes from the opening's calldata: the
 *                         circuit binds it through C_D, so it needs no output)
 *   openedPairs[3]        slot t's pair label_t + prediction_t·2^16 in 32-bit lanes, 7 per word
 *                         (t = 7·word + lane); slots >= k_eff are 0
 * Private: the unpacked context fields, labels[N], predictions[N] (zero-padded), salt.
 */
import { dataCommitmentV2 } from "./dataCommitmentV2.ts";
import { packDisputeContextV2 } from "./disputeContextV2.ts";
import { requireIntegerIn } from "./fieldElement.ts";
import { OPEN_SLOTS, openedCount } from "./challengeIndices.ts";
import { packLanes } from "./poseidonChain.ts";
import { predictionCommitment } from "./predictionCommitment.ts";
import type { RefundWitnessSource } from "./refundCircuitInput.ts";

/** Bits per packed index (an index is below n <= N < 2^16). */
export const INDEX_BITS = 16;
/** Indices per public word (15 * 16 = 240 bits). */
export const INDICES_PER_WORD = 15;
/** Bits per packed (label, prediction) pair: the label in bits 0..15, the prediction in 16..31. */
export const PAIR_BITS = 32;
/** Pairs per public word (7 * 32 = 224 bits). */
export const PAIRS_PER_WORD = 7;
/** Public words of the packed indices and k_eff: ceil((K + 1) / 15) = 2 for K = 16. */
export const INDEX_WORDS = Math.ceil((OPEN_SLOTS + 1) / INDICES_PER_WORD);
/** Public words of the packed pairs: ceil(K / 7) = 3 for K = 16. */
export const PAIR_WORDS = Math.ceil(OPEN_SLOTS / PAIRS_PER_WORD);

/** One opened sample: its index and what C_D and C_P commit to there. */
export interface OpenedSample {
  index: number;
  label: number;
  prediction: number;
}

/** A pair's 32-bit lane: label + prediction·2^16 (both in [0, 2^16)). */
export function packPair(label: number, prediction: number): bigint {
  requireIntegerIn("label", label, 0, 2 ** 16);
  requireIntegerIn("prediction", prediction, 0, 2 ** 16);
  return BigInt(label) + (BigInt(prediction) << 16n);
}

/**
 * The public index words: the k_eff = indices.length indices in 16-bit lanes, zero slots up to
 * OPEN_SLOTS, then k_eff as lane OPEN_SLOTS, 15 lanes per word.
 */
export function packIndices(indices: readonly number[]): bigint[] {
  requireIntegerIn("k_eff (the number of indices)", indices.length, 1, OPEN_SLOTS + 1);
  indices.forEach((index, t) => requireIntegerIn(`indices[${t}]`, index, 0, 2 ** INDEX_BITS));
  const lanes = Array.from({ length: OPEN_SLOTS + 1 }, (_, t) => (t < indices.length ? indices[t]! : t === OPEN_SLOTS ? indices.length : 0));
  return packLanes(lanes, INDEX_BITS, INDICES_PER_WORD);
}

/** The indices and k_eff of packed index words (the inverse of packIndices). */
export function unpackIndices(words: readonly bigint[]): number[] {
  if (words.length !== INDEX_WORDS) throw new RangeError(`packed indices are ${INDEX_WORDS} words, got ${words.length}`);
  const lanes = unpackLanes(words, INDEX_BITS, INDICES_PER_WORD, OPEN_SLOTS + 1);
  const k = lanes[OPEN_SLOTS]!;
  if (k < 1 || k > OPEN_SLOTS || lanes.slice(k, OPEN_SLOTS).some((v) => v !== 0)) throw new RangeError("packed indices are not k_eff indices and zero slots");
  return lanes.slice(0, k);
}

/** The public pair words of the opened samples (in slot order), zero slots up to OPEN_SLOTS. */
export function packOpenedPairs(opened: readonly Pick<OpenedSample, "label" | "prediction">[]): bigint[] {
  requireIntegerIn("the number of opened samples", opened.length, 0, OPEN_SLOTS + 1);
  const lanes = Array.from({ length: OPEN_SLOTS }, (_, t) => (t < opened.length ? Number(packPair(opened[t]!.label, opened[t]!.prediction)) : 0));
  return packLanes(lanes, PAIR_BITS, PAIRS_PER_WORD);
}

/** The k_eff (label, prediction) pairs of packed pair words (the inverse of packOpenedPairs). */
export function unpackOpenedPairs(words: readonly bigint[], kEff: number): { label: number; prediction: number }[] {
  if (words.length !== PAIR_WORDS) throw new RangeError(`packed pairs are ${PAIR_WORDS} words, got ${words.length}`);
  requireIntegerIn("k_eff", kEff, 0, OPEN_SLOTS + 1);
  return unpackLanes(words, PAIR_BITS, PAIRS_PER_WORD, OPEN_SLOTS)
    .slice(0, kEff)
    .map((lane) => ({ label: lane & 0xffff, prediction: lane >>> 16 }));
}

function unpackLanes(words: readonly bigint[], laneBits: number, lanesPerWord: number, count: number): number[] {
  const mask = (1n << BigInt(laneBits)) - 1n;
  words.forEach((word, w) => {
    if (typeof word !== "bigint" || word < 0n || word >= 1n << BigInt(laneBits * lanesPerWord)) {
      throw new RangeError(`word ${w} does not fit ${lanesPerWord} lanes of ${laneBits} bits`);
    }
  });
  return Array.from({ length: count }, (_, t) => Number((words[Math.floor(t / lanesPerWord)]! >> BigInt(laneBits * (t % lanesPerWord))) & mask));
}

/** Everything the Open prover takes: what the contested refund was proven from, and the indices. */
export interface OpenWitnessSource extends RefundWitnessSource {
  /** The contest's indices (challengeIndices): k_eff = min(16, n) of them, each < n. */
  indices: readonly number[];
}

/** Open(N, 16)'s input signals as decimal strings (snarkjs's input JSON). */
export interface OpenCircuitInput {
  context: string;
  dataCommitment: string;
  predictionCommitment: string;
  indices: string[];
  featuresRoot: string;
  openedPairs: string[];
  claimedAccuracyBps: string;
  sampleCount: string;
  classCount: string;
  featureBits: string;
  featureCount: string;
  tag: string;
  shortfallBps: string;
  labels: string[];
  predictions: string[];
  salt: string;
  [signal: string]: string | string[];
}

/** The opened samples at `indices`: what `openSamples` publishes. */
export function openedSamples(source: Pick<OpenWitnessSource, "labels" | "predictions" | "indices">): OpenedSample[] {
  return source.indices.map((index) => {
    requireIntegerIn("index", index, 0, source.labels.length);
    return { index, label: source.labels[index]!, prediction: source.predictions[index]! };
  });
}

/** Open(N, 16)'s public signals by name, as decimal strings. */
export type OpenPublicInput = Pick<OpenCircuitInput, "context" | "dataCommitment" | "predictionCommitment" | "indices" | "featuresRoot" | "openedPairs">;

/** What an opening publishes, beside the contested refund's context and commitments. */
export interface OpenPublicParts {
  readonly context: bigint;
  readonly dataCommitment: bigint;
  readonly predictionCommitment: bigint;
  /** The drawn indices, in slot order. */
  readonly indices: readonly number[];
  readonly featuresRoot: bigint;
  /** The opened samples' labels and predictions, slot by slot (one per index). */
  readonly labels: readonly number[];
  readonly predictions: readonly number[];
}

/**
 * Open(N, 16)'s public input from what the opening publishes: the one builder of the packed
 * indices and pairs, for the prover's input (openCircuitInput) and the audit's re-check of a
 * posted opening alike. Throws a RangeError when the slots disagree (labels, predictions and
 * indices of different lengths) or do not fit.
 */
export function openPublicInput(parts: OpenPublicParts): OpenPublicInput {
  const { indices, labels, predictions } = parts;
  if (labels.length !== indices.length || predictions.length !== indices.length) throw new RangeError(`${indices.length} indices, ${labels.length} labels and ${predictions.length} predictions`);
  return {
    context: parts.context.toString(),
    dataCommitment: parts.dataCommitment.toString(),
    predictionCommitment: parts.predictionCommitment.toString(),
    indices: packIndices(indices).map(String),
    featuresRoot: parts.featuresRoot.toString(),
    openedPairs: packOpenedPairs(indices.map((_, t) => ({ label: labels[t]!, prediction: predictions[t]! }))).map(String),
  };
}

/**
 * Builds Open(N, 16)'s input for `circuitSize` N, zero-padding labels and predictions. Throws a
 * RangeError when the indices are not k_eff = min(16, n) indices below n, or what the inputs
 * show cannot fit (sizes, 16-bit labels and predictions, context widths). Distinctness is the
 * contract's (it draws the indices); the circuit does not need it.
 */
export function openCircuitInput(source: OpenWitnessSource, circuitSize: number): OpenCircuitInput {
  const { labels, predictions, fields, tag, indices } = source;
  const n = labels.length;
  if (fields.sampleCount !== n) throw new RangeError(`sampleCount ${fields.sampleCount} != ${n} labels`);
  if (predictions.length !== n) throw new RangeError(`${predictions.length} predictions for ${n} labels`);
  if (!Number.isInteger(circuitSize) || circuitSize < 1 || circuitSize + PAIRS_PER_WORD > 2 ** INDEX_BITS) {
    throw new RangeError(`an Open circuit holds 1 to ${2 ** INDEX_BITS - PAIRS_PER_WORD} samples, got ${circuitSize}`);
  }
  if (n < 1 || n > circuitSize) throw new RangeError(`${n} samples do not fit an Open circuit of ${circuitSize}`);
  if (indices.length !== openedCount(n)) throw new RangeError(`a contest of ${n} samples opens ${openedCount(n)}, got ${indices.length} indices`);
  labels.forEach((label, i) => requireIntegerIn(`labels[${i}]`, label, 0, 2 ** 16));
  const opened = openedSamples(source);
  const dataCommitment = dataCommitmentV2(source);
  const pad = (values: readonly number[]): string[] => Array.from({ length: circuitSize }, (_, i) => String(i < n ? values[i]! : 0));
  return {
    ...openPublicInput({
      context: packDisputeContextV2(fields, tag),
      dataCommitment,
      predictionCommitment: predictionCommitment({ dataCommitment, predictions, salt: source.salt }),
      indices,
      featuresRoot: source.featuresRoot,
      labels: opened.map((o) => o.label),
      predictions: opened.map((o) => o.prediction),
    }),
    claimedAccuracyBps: String(fields.claimedAccuracyBps),
    sampleCount: String(n),
    classCount: String(fields.classCount),
    featureBits: String(fields.featureBits),
    featureCount: String(fields.featureCount),
    tag: tag.toString(),
    shortfallBps: String(fields.shortfallBps),
    labels: pad(labels),
    predictions: pad(predictions),
    salt: source.salt.toString(),
  };
}

/** Open(N, 16)'s public signals, in order, as the contract builds them for the verifier. */
export function openPublicSignals(input: OpenPublicInput): bigint[] {
  return [input.context, input.dataCommitment, input.predictionCommitment, ...input.indices, input.featuresRoot, ...input.openedPairs].map(BigInt);
}
