/**
 * Turns a reverted call into a sentence: decodes the custom error of the registry or the
 * market (viem's ContractFunctionRevertedError) and phrases it for a person, keeping the
 * error's name and arguments for programs. Unknown errors fall back to viem's short message.
 */
import { BaseError, ContractFunctionRevertedError } from "viem";

export interface DecodedRevert {
  /** The custom error's name, e.g. "TestDrivesWrongPhase", or undefined when not a custom error. */
  readonly name?: string;
  readonly args: readonly unknown[];
  /** One sentence for a person. */
  readonly sentence: string;
}

/** Sentences for the custom errors a user is likely to meet; others are named with their arguments. */
const SENTENCES: Readonly<Record<string, (args: readonly unknown[]) => string>> = {
  ModelRegistryUnknownListing: ([id]) => `listing ${String(id)} does not exist`,
  ModelRegistryInvalidStatus: ([id]) => `listing ${String(id)} is not active (paused or delisted)`,
  TestDrivesNotDisputable: ([samples, max]) => `no dispute circuit can prove a test-drive of ${String(samples)} samples (at most ${String(max)}), so it cannot be opened`,
  MarketLedgerNothingOwed: ([account]) => `nothing is owed to ${String(account)}`,
};

export function decodeRevert(error: unknown): DecodedRevert {
  if (error instanceof BaseError) {
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError && reverted.data?.errorName) {
      const name = reverted.data.errorName;
      const args = reverted.data.args ?? [];
      const phrase = SENTENCES[name];
      const sentence = phrase ? phrase(args) : `the contract refused: ${name}(${args.map(String).join(", ")})`;
      return { name, args, sentence };
    }
    return { args: [], sentence: error.shortMessage };
  }
  return { args: [], sentence: error instanceof Error ? error.message : String(error) };
}
