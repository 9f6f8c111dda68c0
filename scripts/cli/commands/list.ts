/**
 * `bazaar list <model.onnx> --terms <terms.json>`: the seller lists a model. The model root and
 * size come from the file (sdk/src/delivery/chunkMerkle.ts); everything else from the terms
 * file, checked before anything is sent (sdk/src/listings/listingSpec.ts documents its shape).
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
import { writeSession, type ChainOptions } from "../session.ts";
import { sendTransaction } from "../tx.ts";

export function registerList(program: Command, globals: () => GlobalOptions): void {
  addChainOptions(program.command("list").description("list a model for sale (you become its seller)"))
    .argument("<model.onnx>", "the model file; its Merkle root and size are committed on-chain")
    .requiredOption("--terms <terms.json>", "task, claimedAccuracyBps, testPolicy, sale, worker, metadata (see sdk/src/listings/listingSpec.ts)")
    .action(async (modelPath: string, options: ChainOptions & { terms: string }) => {
      const file = readFileSync(modelPath);
      if (file.length === 0) throw new CliError(`${modelPath} is empty`);
      const [terms, offer] = listingArguments(file, specFrom(options.terms));
      const session = await writeSession(options);
      const receipt = await sendTransaction(session.publicClient, "listing the model", () => session.contracts.registry.write.list([terms, offer], ON_CLIENT_CHAIN));
      const [created] = parseEventLogs({ abi: modelRegistryAbi, logs: receipt.logs, eventName: "ListingCreated" });
      if (!created) throw new CliError("the registry emitted no ListingCreated event (is --deployment right?)");
      const listingId = created.args.listingId;
      const sale = offer.saleMode === 0 ? `for ${formatEther(offer.price)} ETH` : "for auction";
      printResult(globals(), { listingId, seller: session.account.address, modelRoot: terms.modelRoot, modelSize: terms.modelSize, transaction: receipt.transactionHash }, () =>
        `listed ${modelPath} as listing #${listingId} ${sale} (model root ${terms.modelRoot}, ${terms.modelSize} bytes); keep the file: buyers are delivered exactly these bytes.`,
      );
    });
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
