/**
 * `bazaar list <model.onnx> --terms <terms.json>`: the seller lists a model. The model root and
 * size come from the file (sdk/src/delivery/chunkMerkle.ts); everything else from the terms
 * file (format: docs/schemas/listing-terms.schema.json, example: docs/examples/listing-terms.json,
 * parser: sdk/src/listings/listingSpec.ts). Before anything is sent, the terms are checked:
 * each field against the registry's rules, the task against the ONNX model's input and output
 * (sdk/src/listings/modelFit.ts), and against the model card the offer's metadata URI names
 * (its class names: sdk/src/listings/listingMetadata.ts), whose keccak256 becomes the
 * listing's metadata hash when the terms give none.
 * The dispute policy comes from the model: contestable (plan commitment, tolerance, graded
 * refund, bonds of half and a fiftieth of the deposit) when its plan quantizes into a shipped
 * contest circuit and the test policy fits a contest, bound by its fees only otherwise or with
 * `--no-contest`, with the sentence saying why (scripts/lib/listingDisputePolicy.ts).
 * For a fixed price it also prints the listing policy suggestion against model extraction
 * (sdk/src/listings/extractionPolicy.ts, from docs/studies/extraction.md) and whether the terms
 * meet it; it never blocks the listing.
 * `--watermark <reveal>` sets the terms' watermarkCommitment from the trainer's watermark reveal
 * file and the listing account's address (docs/PROTOCOL.md §7): the chain then timestamps the
 * seller's ownership claim.
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { ON_CLIENT_CHAIN } from "@modelbazaar/sdk/actions";
import { formatEther, parseEventLogs, zeroHash, type Address } from "viem";
import { watermarkCommitment } from "@modelbazaar/sdk/protection";
import { modelRegistryAbi } from "@modelbazaar/sdk/abis";
import {
  classList,
  ECONOMICS_ONLY_DISPUTE_POLICY,
  ExtractionPolicyError,
  isListingRefusal,
  listingArguments,
  listingDisplayName,
  policySuggestionLines,
  prepareListing,
  suggestListingPolicy,
  type ListingPolicySuggestion,
  type ListingSpec,
  type PreparedListing,
} from "@modelbazaar/sdk/listings";
import { addChainOptions } from "../chainOptions.ts";
import { CliError } from "../cliError.ts";
import { readMetadataDocument } from "../metadataDocument.ts";
import { printResult, type GlobalOptions } from "../output.ts";
import type { DishonestDispute } from "@modelbazaar/sdk/disputes";
import { listingDisputePolicy } from "../../lib/listingDisputePolicy.ts";
import { readModelShape } from "../../lib/modelShape.ts";
import { writeSession, type ChainOptions } from "../session.ts";
import { sendTransaction } from "../tx.ts";
import { readWatermarkReveal } from "../watermarkRevealFile.ts";

/** `bazaar list --help`'s description of the terms file, field by field. */
export const TERMS_HELP = `
The terms file (JSON; schema: docs/schemas/listing-terms.schema.json; a complete example for
npm start's chain: docs/examples/listing-terms.json). Amounts are ETH as decimal strings,
windows are seconds. Unknown fields are refused.

  task.featureCount          features per sample: what the model's input takes
  task.classCount            classes: the scores the model's (first) output gives per sample
  task.scaleBits             a feature x is quantized as round(x * 2^scaleBits), e.g. 8
  task.featureBits           bits of a quantized feature: features must lie in
                             [-2^(featureBits-scaleBits-1), 2^(featureBits-scaleBits-1)),
                             e.g. 12 with scaleBits 8: -8 to 8
  claimedAccuracyBps         the accuracy you claim, in basis points (9666 = 96.66 %); a buyer
                             whose test-drive scores below it can prove so and be refunded
  testPolicy.deposit         what a buyer stakes per test-drive, e.g. "1"
  testPolicy.feePerExtraSample  the fee per sample above freeSamples, e.g. "0.0001"
  testPolicy.freeSamples     samples per test-drive without a fee, e.g. 100
  testPolicy.minSamples      smallest test set accepted (32 or more for contestable refunds)
  testPolicy.maxSamples      largest test set accepted (1,024 or fewer for contestable refunds)
  testPolicy.serviceWindow   seconds your worker has to evaluate a test-drive, e.g. 3600
  testPolicy.disputeWindow   seconds a buyer has to claim a refund afterwards, e.g. 86400
  sale                       {"mode": "fixed", "price": "5"} or {"mode": "auction"}
  worker.endpoint            your worker's URL, e.g. http://127.0.0.1:8787
  worker.signer              the address your worker signs receipts with
  metadata.uri               your model card: JSON with "name" and "classNames" (one per class,
                             in index order; docs/schemas/listing-metadata.schema.json), at an
                             https:// or ipfs:// URI, or a path (read here, and by buyers on
                             this machine only), e.g. models/iris-logreg.json
  metadata.hash              optional: the card's keccak256 (computed from it when omitted)
  watermarkCommitment        optional: 32 bytes of 0x-hex committing to your model's watermark
                             (or pass --watermark <reveal.json>; docs/PROTOCOL.md §7)

Before any transaction, task.featureCount and task.classCount are checked against the ONNX
model's input and output, and the model card's class names against task.classCount; buyers
may then write labels as class names, and see them in their confusion matrix.
Manage the listing afterwards with \`bazaar listing pause|resume|reprice|sale|delist <listingId>\`.`;

export function registerList(program: Command, globals: () => GlobalOptions): void {
  addChainOptions(program.command("list").description("list a model for sale (you become its seller; as your account: MODELBAZAAR_KEYSTORE or MODELBAZAAR_PRIVATE_KEY)"))
    .argument("<model.onnx>", "the model file; its Merkle root and size are committed on-chain")
    .requiredOption("--terms <terms.json>", "the listing's terms: task, claimedAccuracyBps, testPolicy, sale, worker, metadata (described below)")
    .option("--no-contest", "list without a plan commitment: refunds are bound by their fees only, and no seller bond is ever staked")
    .option("--watermark <reveal.json>", "commit to the model's watermark: the reveal file `node scripts/train/train.ts --watermark` wrote (kept secret; only its commitment goes on-chain)")
    .addHelpText("after", TERMS_HELP)
    .action(async (modelPath: string, options: ChainOptions & { terms: string; contest: boolean; watermark?: string }) => {
      const file = readFileSync(modelPath);
      const preparedListing = await prepared(file, modelPath, options.terms);
      const { metadata, warning } = preparedListing;
      const session = await writeSession(options);
      const spec = options.watermark === undefined ? preparedListing.spec : withWatermark(preparedListing.spec, options.watermark, options.terms, session.account.address);
      if (warning) process.stderr.write(`warning: ${warning}\n`);
      const extraction = extractionSuggestion(spec, metadata?.name);
      const [plain] = listingArguments(file, spec);
      const dispute = options.contest
        ? await listingDisputePolicy(file, plain.modelRoot, spec.task, spec.testPolicy, session.walletClient)
        : { policy: ECONOMICS_ONLY_DISPUTE_POLICY, uncontestable: "listed with --no-contest" };
      const [terms, offer] = listingArguments(file, { ...spec, disputePolicy: dispute.policy });
      const receipt = await sendTransaction(session.publicClient, "listing the model", () => session.contracts.registry.write.list([terms, offer], ON_CLIENT_CHAIN));
      const [created] = parseEventLogs({ abi: modelRegistryAbi, logs: receipt.logs, eventName: "ListingCreated" });
      if (!created) throw new CliError("the registry emitted no ListingCreated event (is --deployment right?)");
      const listingId = created.args.listingId;
      const sale = offer.saleMode === 0 ? `for ${formatEther(offer.price)} ETH` : "for auction";
      const contestable = dispute.uncontestable === undefined;
      const modelName = listingDisplayName(offer.metadataURI, metadata);
      printResult(
        globals(),
        {
          listingId,
          seller: session.account.address,
          modelName,
          classNames: metadata?.classNames,
          modelRoot: terms.modelRoot,
          modelSize: terms.modelSize,
          metadataURI: offer.metadataURI,
          metadataHash: offer.metadataHash,
          watermarkCommitment: terms.watermarkCommitment,
          contestable,
          uncontestable: dispute.uncontestable,
          worstDishonestGain: dispute.worstCase?.gain,
          extractionPolicy: extraction.suggestion,
          transaction: receipt.transactionHash,
        },
        () =>
          [
            `listed ${modelName} (${modelPath}) as listing #${listingId} ${sale} (model root ${terms.modelRoot}, ${terms.modelSize} bytes); keep the file: buyers are delivered exactly these bytes, and \`bazaar contest\` needs it.`,
            ...(terms.watermarkCommitment === zeroHash ? [] : [`  watermark commitment ${terms.watermarkCommitment}: keep the reveal file secret until a claim needs it (\`bazaar watermark verify\`)`]),
            `  model card ${offer.metadataURI} (keccak256 ${offer.metadataHash})${metadata?.classNames ? `: classes ${classList(metadata.classNames)}` : metadata ? ": no class names, so buyers write labels as class indices" : ""}`,
            contestable
              ? `  refunds can be contested: the listing commits to the model's quantized plan; a claim stakes ${formatEther(dispute.policy.buyerBond)} ETH, a contest ${formatEther(dispute.policy.sellerBond)} ETH\n  your worker contests them once it has the plan salt: \`bazaar model plan-salt ${modelPath} --out <file>\`, named as the listing's planSaltFile in its config`
              : `  refunds cannot be contested (${dispute.uncontestable}): they are bound by the fee of every sample only`,
            ...(dispute.worstCase === undefined ? [] : [worstCaseLine(dispute.worstCase)]),
            ...extraction.lines.map((line) => `  ${line}`),
            `next: serve it from your worker (listing ${listingId} in its config, docs/examples/worker.json); change it with \`bazaar listing pause|resume|reprice|sale|delist ${listingId}\`.`,
          ].join("\n"),
      );
    });
}

/** The extraction policy suggestion for a fixed-price listing and its sentences; advice only, so a suggestion that cannot be made is a sentence too. */
function extractionSuggestion(spec: ListingSpec, modelName: string | undefined): { suggestion?: ListingPolicySuggestion; lines: string[] } {
  if (spec.sale.mode !== "fixed") return { lines: ["extraction: sold by auction, so there is no price to weigh the extraction cost against (docs/studies/extraction.md)"] };
  try {
    const suggestion = suggestListingPolicy({ modelName, price: spec.sale.price, testPolicy: spec.testPolicy });
    return { suggestion, lines: policySuggestionLines(suggestion, spec.sale.price) };
  } catch (error) {
    if (error instanceof ExtractionPolicyError) return { lines: [`extraction: no policy suggestion: ${error.message}`] };
    throw error;
  }
}

/** The terms with the watermark reveal's commitment for `seller`, refused when they commit to another or the task does not fit it. */
function withWatermark(spec: PreparedListing["spec"], revealPath: string, termsPath: string, seller: Address): PreparedListing["spec"] {
  const reveal = readWatermarkReveal(revealPath);
  const commitment = watermarkCommitment(reveal, seller);
  if (spec.watermarkCommitment !== zeroHash && spec.watermarkCommitment !== commitment) {
    throw new CliError(`${termsPath} gives watermarkCommitment ${spec.watermarkCommitment}, but ${revealPath} commits to ${commitment}: drop one of them`);
  }
  if (reveal.featureCount !== spec.task.featureCount || reveal.classCount !== spec.task.classCount) {
    throw new CliError(`${revealPath} holds triggers of ${reveal.featureCount} features over ${reveal.classCount} classes, but the task has ${spec.task.featureCount} and ${spec.task.classCount}: it is another model's watermark`);
  }
  return { ...spec, watermarkCommitment: commitment };
}

/** What lying about predictions earns a buyer at best under the listing's terms (docs/DISPUTES.md §4.2). */
function worstCaseLine({ gain, sampleCount, lies }: DishonestDispute): string {
  const at = `lying on ${lies} of ${sampleCount} predictions`;
  return gain < 0n
    ? `  a buyer lying about predictions loses money in expectation under these terms: at best ${formatEther(-gain)} ETH lost (${at})`
    : `  warning: under these terms a buyer ${at} gains ${formatEther(gain)} ETH in expectation: raise the fee per sample, or list with --no-contest`;
}

/** The terms checked against the registry's rules, the model and its card (the SDK's prepareListing: the dApp checks alike). */
async function prepared(file: Uint8Array, modelPath: string, termsPath: string): Promise<PreparedListing> {
  try {
    return await prepareListing({ terms: { text: readFileSync(termsPath, "utf8"), source: termsPath }, model: { bytes: file, source: modelPath }, readShape: readModelShape, readCard: readMetadataDocument });
  } catch (error) {
    if (isListingRefusal(error)) throw new CliError(error.message);
    throw error;
  }
}
