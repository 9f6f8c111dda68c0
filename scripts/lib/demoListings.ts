/**
 * The demo marketplace the embedded default seeds: every trained model in models/ (cards
 * written by `npm run train`) listed at a fixed price by the seller dev account, served by a
 * worker whose signer is another dev account. The listing's terms come from the model card
 * (task, claimed accuracy = the card's held-out accuracy) and the file itself (modelRoot), built
 * by the same `listingArguments` as `bazaar list`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { keccak256, parseEther, toHex, type Address, type Hex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { listingArguments, type DisputePolicy, type TestPolicy } from "@modelbazaar/sdk/listings";
import type { ServedModel } from "../../offchain-worker/src/config.ts";
import { ROOT } from "../zk/compile.ts";
import { EXAMPLE_POLICY } from "./exampleListing.ts";
import { CONTESTABLE_SAMPLES, listingDisputePolicy } from "./listingDisputePolicy.ts";

export const DEMO_MODELS = ["iris-logreg", "iris-square-mlp", "mnist-logreg", "mnist-cryptonets"] as const;
export type DemoModel = (typeof DEMO_MODELS)[number];

/** Hardhat's well-known development mnemonic (its node's default accounts). */
const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";

/** The private key of Hardhat's dev account `index` (public knowledge: local chains only). */
export function devAccountKey(index: number): Hex {
  const key = mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: index }).getHdKey().privateKey;
  if (!key) throw new Error(`cannot derive dev account ${index}`);
  return toHex(key);
}

interface ModelCard {
  name: string;
  featureCount: number;
  classCount: number;
  input: { scaleBits: number };
  testAccuracyBps: number;
  onnx: { file: string };
}

/** Bits of a quantized feature, offset-encoded (IModelRegistry.TaskSpec): Iris measurements (< 8 cm) and MNIST pixels (<= 1) at scale 2^8 need [-8, 8) and [-2, 2). */
const FEATURE_BITS: Record<string, number> = { iris: 12, mnist: 10 };

/** The example policy of the contract tests, with a smaller fee per extra sample. */
export const DEMO_POLICY = { ...EXAMPLE_POLICY, feePerExtraSample: parseEther("0.0001") } as const;

export function modelPath(name: DemoModel): string {
  return join(ROOT, "models", `${name}.onnx`);
}

/**
 * The registry's `list` arguments for one demo model, contestable as `bazaar list` makes it: the
 * test sizes a contest allows (32 to 1,024 samples) and the dispute policy signed for by the
 * seller; economics only when the model's plan has no contest circuit.
 */
export async function contestableDemoListing(
  name: DemoModel,
  offer: { workerEndpoint: string; workerSigner: Address; price?: bigint },
  seller: { signMessage(args: { message: string }): Promise<Hex> },
) {
  const testPolicy = { ...DEMO_POLICY, minSamples: CONTESTABLE_SAMPLES.min, maxSamples: CONTESTABLE_SAMPLES.max };
  const [plain] = demoListing(name, { ...offer, testPolicy });
  const file = readFileSync(modelPath(name));
  const { policy } = await listingDisputePolicy(file, plain.modelRoot, plain.task, testPolicy, seller);
  return demoListing(name, { ...offer, testPolicy, disputePolicy: policy });
}

/** The registry's `list` arguments for one demo model (sdk/src/listings/listingSpec.ts builds them). */
export function demoListing(name: DemoModel, offer: { workerEndpoint: string; workerSigner: Address; price?: bigint; testPolicy?: TestPolicy; disputePolicy?: DisputePolicy }) {
  const cardBytes = readFileSync(join(ROOT, "models", `${name}.json`));
  const card = JSON.parse(cardBytes.toString("utf8")) as ModelCard;
  return listingArguments(readFileSync(modelPath(name)), {
    task: { featureCount: card.featureCount, classCount: card.classCount, scaleBits: card.input.scaleBits, featureBits: FEATURE_BITS[name.split("-")[0]!] ?? 16 },
    claimedAccuracyBps: card.testAccuracyBps,
    testPolicy: offer.testPolicy ?? { ...DEMO_POLICY },
    ...(offer.disputePolicy && { disputePolicy: offer.disputePolicy }),
    sale: { mode: "fixed", price: offer.price ?? parseEther("5") },
    workerEndpoint: offer.workerEndpoint,
    workerSigner: offer.workerSigner,
    metadataURI: `models/${name}.json`,
    metadataHash: keccak256(cardBytes),
    watermarkCommitment: keccak256(toHex(`no watermark: ${name}`)),
  });
}

/** The worker's `evaluator` config for the demo models (the real CKKS evaluator). */
export function demoEvaluator(models: readonly ServedModel[]) {
  return {
    module: join(ROOT, "offchain-worker", "src", "he", "ckksEvaluator.ts"),
    settings: { models: Object.fromEntries(models.map(({ modelId }) => [modelId, { onnx: modelPath(modelId as DemoModel) }])) },
  };
}
