/**
 * `bazaar watermark verify <suspect.onnx> --reveal <file> --listing <id>`: an ownership claim
 * checked end to end (docs/PROTOCOL.md §7). The reveal must open the listing's on-chain
 * `watermarkCommitment` (else the claim is refused, exit code 1); the suspect model then runs
 * on the revealed triggers, and the report gives how many of the chosen labels it reproduces,
 * the one-sided binomial p-value of doing so by chance (1 / classCount per trigger), and the
 * listing's creation time: the chain's timestamp of the claim.
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { zeroHash } from "viem";
import { readListing } from "@modelbazaar/sdk/actions";
import { predictedClasses, triggerCount, triggerEvidence, watermarkCommitment } from "@modelbazaar/sdk/protection";
import { modelScores } from "../../lib/modelScores.ts";
import { addChainOptions } from "../chainOptions.ts";
import { CliError } from "../cliError.ts";
import { printResult, type GlobalOptions } from "../output.ts";
import { readSession, type ChainOptions } from "../session.ts";
import { parseId } from "../values.ts";
import { readWatermarkReveal } from "../watermarkRevealFile.ts";

/** Below this p-value the report says the suspect carries the watermark. */
export const WATERMARK_SIGNIFICANCE = 1e-3;

export function registerWatermark(program: Command, globals: () => GlobalOptions): void {
  const watermark = program.command("watermark").description("ownership claims: a model's backdoor watermark against a listing's on-chain commitment");
  addChainOptions(watermark.command("verify").description("check a watermark reveal against a listing's commitment, and test a suspect model on its triggers"))
    .argument("<suspect.onnx>", "the model suspected of being the listed one (or derived from it)")
    .requiredOption("--reveal <file>", "the watermark reveal file the trainer wrote (<name>.watermark.json)")
    .requiredOption("--listing <id>", "the listing whose watermarkCommitment the reveal opens")
    .action(async (suspectPath: string, options: ChainOptions & { reveal: string; listing: string }) => {
      const listingId = parseId(options.listing, "--listing");
      const reveal = readWatermarkReveal(options.reveal);
      const session = await readSession(options);
      const listing = await readListing(session.publicClient, session.deployment, listingId);
      const committed = listing.terms.watermarkCommitment;
      const opened = watermarkCommitment(reveal, listing.seller);
      if (committed === zeroHash) throw new CliError(`listing ${listingId} commits to no watermark (its watermarkCommitment is zero), so no reveal can support a claim on it`);
      if (committed !== opened) throw new CliError(`${options.reveal} does not open listing ${listingId}'s watermark commitment: the listing holds ${committed}, the reveal hashes to ${opened} for its seller ${listing.seller}`);
      const { scores, classCount } = await modelScores(readFileSync(suspectPath), reveal.inputs, reveal.featureCount, suspectPath);
      if (classCount !== reveal.classCount) throw new CliError(`${suspectPath} gives ${classCount} class scores per sample, but the watermark's labels are over ${reveal.classCount} classes`);
      const evidence = triggerEvidence(predictedClasses(scores, classCount), reveal.labels, classCount);
      const watermarked = evidence.pValue < WATERMARK_SIGNIFICANCE;
      const listedAt = new Date(listing.listedAt * 1000).toISOString();
      printResult(globals(), { listingId, seller: listing.seller, listedAt, commitment: committed, ...evidence, significance: WATERMARK_SIGNIFICANCE, watermarked }, () =>
        [
          `the reveal opens listing ${listingId}'s watermark commitment ${committed}, listed by ${listing.seller} at ${listedAt} (the chain's timestamp of the claim)`,
          `${suspectPath} reproduces ${evidence.matches} of ${triggerCount(reveal)} trigger labels (${(100 * evidence.accuracy).toFixed(1)}%; chance ${(100 * evidence.chance).toFixed(1)}%): p-value ${evidence.pValue.toExponential(2)}`,
          watermarked
            ? `the suspect carries the listing's watermark (p-value below ${WATERMARK_SIGNIFICANCE})`
            : `no evidence that the suspect carries the watermark (p-value not below ${WATERMARK_SIGNIFICANCE})`,
        ].join("\n"),
      );
    });
}
