/**
 * `bazaar model plan-salt <model.onnx> --out <file>` (seller): writes the plan salt of a model
 * (docs/DISPUTES.md §3.1) to a file only its owner may read, for the worker's config
 * (`listings[].planSaltFile`). The salt is derived from the seller's own signature of the
 * model's Merkle root (sdk/src/disputes/planSalt.ts), exactly as `bazaar list` derived it when
 * it committed the plan, so the worker, which signs with its own key, can check the plan it
 * evaluates against the listing and prove contests. The salt is a secret: with it, anyone can
 * test a guessed plan against the commitment; it never goes on the command line or stdout.
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { ChunkTree, toChunks } from "@modelbazaar/sdk/delivery";
import { derivePlanSalt } from "@modelbazaar/sdk/disputes";
import { CliError } from "../cliError.ts";
import { printResult, type GlobalOptions } from "../output.ts";
import { signerKey } from "../signerKey.ts";

export function registerModelPlanSalt(model: Command, globals: () => GlobalOptions): void {
  model
    .command("plan-salt")
    .description("write the plan salt of your listed model to a file for your worker's config (signed by the seller's key: MODELBAZAAR_KEYSTORE or MODELBAZAAR_PRIVATE_KEY)")
    .argument("<model.onnx>", "the listed model file")
    .requiredOption("--out <file>", "where to write the salt (0x-hex, readable by you only)")
    .action(async (modelPath: string, { out }: { out: string }) => {
      let file: Uint8Array;
      try {
        file = readFileSync(modelPath);
      } catch (error) {
        throw new CliError(`cannot read ${modelPath}: ${(error as Error).message}`);
      }
      const modelRoot = ChunkTree.fromChunks(toChunks(file)).root;
      const seller = privateKeyToAccount(await signerKey());
      const salt = await derivePlanSalt(seller, modelRoot);
      writeFileSync(out, `${toHex(salt, { size: 32 })}\n`, { mode: 0o600 });
      printResult(
        globals(),
        { modelRoot, seller: seller.address, out },
        () =>
          `wrote the plan salt of ${modelPath} (model root ${modelRoot}) as signed by ${seller.address} to ${out}; name it as the listing's "planSaltFile" in the worker's config, and keep it secret`,
      );
    });
}
