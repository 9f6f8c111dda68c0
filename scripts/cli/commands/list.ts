/**
 * `bazaar list <model.onnx> --terms <terms.json>`: the seller lists a model. The model root and
 * size come from the file (sdk/src/delivery/chunkMerkle.ts); everything else from the terms
 * file, checked before anything is sent (sdk/src/listings/listingSpec.ts documents its shape).
 * The dispute policy comes from the model: contestable (plan commitment, tolerance, graded
 * refund, bonds of half and a fiftieth of the deposit) when its plan quantizes into a shipped
 * contest circuit and the test policy fits a contest, bound by its fees only otherwise or with
 * `--no-contest`, with the sentence saying why (scripts/lib/listingDisputePolicy.ts).
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { ON_CLIENT_CHAIN } from "../../../sdk/src/actions/marketHandles.ts";
import { formatEther, parseEventLogs } from "viem";
import { modelRegistryAbi } from "../../../sdk/src/generated/abis.ts";
import { listingArguments, ListingSpecError, parseListingSpec } from "../../../sdk/src/listings/listingSpec.ts";
import { addChainOptions } from "../chainOptions.ts";
import { CliError } from "../cliError.ts";
import { printResult, type GlobalOptions } from "../output.ts";
import type { DishonestDispute } from "../../../sdk/src/disputes/disputeEconomics.ts";
import { listingDisputePolicy } from "../../lib/listingDisputePolicy.ts";
import { ECONOMICS_ONLY_DISPUTE_POLICY } from "../../../sdk/src/listings/disputePolicy.ts";
import { writeSession, type ChainOptions } from "../session.ts";
import { sendTransaction } from "../tx.ts";

export function registerList(program: Command, globals: () => GlobalOptions): void {
  addChainOptions(program.command("list").description("list a model for sale (you become its seller)"))
    .argument("<model.onnx>", "the model file; its Merkle root and size are committed on-chain")
    .requiredOption("--terms <terms.json>", "task, claimedAccuracyBps, testPolicy, sale, worker, metadata (see sdk/src/listings/listingSpec.ts)")
    .option("--no-contest", "list without a plan commitment: refunds are bound by their fees only, and no seller bond is ever staked")
    .action(async (modelPath: string, options: ChainOptions & { terms: string; contest: boolean }) => {
      const file = readFileSync(modelPath);
      if (file.length === 0) throw new CliError(`${modelPath} is empty`);
      const spec = specFrom(options.terms);
      const session = await writeSession(options);
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
      printResult(
        globals(),
        {
          listingId,
          seller: session.account.address,
          modelRoot: terms.modelRoot,
          modelSize: terms.modelSize,
          contestable,
          uncontestable: dispute.uncontestable,
          worstDishonestGain: dispute.worstCase?.gain,
          transaction: receipt.transactionHash,
        },
        () =>
          [
            `listed ${modelPath} as listing #${listingId} ${sale} (model root ${terms.modelRoot}, ${terms.modelSize} bytes); keep the file: buyers are delivered exactly these bytes, and \`bazaar contest\` needs it.`,
            contestable
              ? `  refunds can be contested: the listing commits to the model's quantized plan; a claim stakes ${formatEther(dispute.policy.buyerBond)} ETH, a contest ${formatEther(dispute.policy.sellerBond)} ETH\n  your worker contests them once it has the plan salt: \`bazaar model plan-salt ${modelPath} --out <file>\`, named as the listing's planSaltFile in its config`
              : `  refunds cannot be contested (${dispute.uncontestable}): they are bound by the fee of every sample only`,
            ...(dispute.worstCase === undefined ? [] : [worstCaseLine(dispute.worstCase)]),
          ].join("\n"),
      );
    });
}

/** What lying about predictions earns a buyer at best under the listing's terms (docs/DISPUTES.md §4.2). */
function worstCaseLine({ gain, sampleCount, lies }: DishonestDispute): string {
  const at = `lying on ${lies} of ${sampleCount} predictions`;
  return gain < 0n
    ? `  a buyer lying about predictions loses money in expectation under these terms: at best ${formatEther(-gain)} ETH lost (${at})`
    : `  warning: under these terms a buyer ${at} gains ${formatEther(gain)} ETH in expectation: raise the fee per sample, or list with --no-contest`;
}

function specFrom(path: string) {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    if (error instanceof SyntaxError) throw new CliError(`${path} is not valid JSON: ${error.message}`);
    throw error;
  }
  try {
    return parseListingSpec(json, path);
  } catch (error) {
    if (error instanceof ListingSpecError) throw new CliError(error.message);
    throw error;
  }
}
