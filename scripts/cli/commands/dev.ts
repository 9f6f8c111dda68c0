/**
 * `bazaar dev advance <duration>`: moves the clock of the local development chain (`npm
 * start`'s) forward by `duration` (evm_increaseTime, then a block is mined at the new time), so
 * a person can see every window of days (test-drive service and dispute windows, auctions,
 * delivery and complaint windows, refund disputes) end in seconds. Refused, before anything is
 * sent, on any chain that is not a local Hardhat chain (chain id 31337 answering hardhat_metadata):
 * nobody can move a real chain's clock.
 */
import type { Command } from "commander";
import type { PublicClient } from "viem";
import { CliError } from "../cliError.ts";
import { printResult, type GlobalOptions } from "../output.ts";
import { connect, resolveEndpoint } from "../session.ts";
import { formatTime } from "@modelbazaar/sdk/labels";
import { parseDuration } from "../values.ts";

/** Hardhat's chain id, which `npm start`'s chain keeps. */
export const LOCAL_CHAIN_ID = 31_337;
/** The furthest one run moves the clock (a typo such as 3000d cannot be undone). */
const MAX_ADVANCE_S = 366 * 86_400;

export function registerDev(dev: Command, globals: () => GlobalOptions): void {
  dev
    .command("advance")
    .description(
      "move the local dev chain's clock forward and mine a block, so windows of hours or days end now (npm start's chain only: refused on any other)",
    )
    .argument("<duration>", "how far: 45s, 90m, 12h, 3d (or plain seconds), at most 366d")
    .option("--rpc <url>", "JSON-RPC URL (default: MODELBAZAAR_RPC_URL, MODELBAZAAR_RPC_PORT, the running npm start, or http://127.0.0.1:8545)")
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  bazaar dev advance 1d    end a claimed refund's contest window (a day); then `bazaar dispute <testId>` collects",
        "  bazaar dev advance 3d    end a purchase's complaint window; then the seller's `bazaar withdraw` is paid",
        "  bazaar dev advance 90m   end an auction's bidding window of an hour and a half; then bidders `bazaar reveal`",
        "`bazaar status test|purchase|auction <id>` says which window runs and until when.",
        "",
      ].join("\n"),
    )
    .action(async (durationText: string, flags: { rpc?: string }) => {
      const seconds = parseDuration(durationText, "the duration");
      if (seconds === 0) throw new CliError("the duration must be more than 0 s");
      if (seconds > MAX_ADVANCE_S) throw new CliError(`the duration must be at most 366d (one run cannot be undone), not ${durationText}`);
      const endpoint = resolveEndpoint(flags);
      const { publicClient, chainId } = await connect(endpoint);
      await requireLocalDevChain(publicClient, chainId, endpoint.url);
      const before = await publicClient.getBlock();
      await rpc(publicClient, "evm_increaseTime", [seconds]);
      await rpc(publicClient, "evm_mine", []);
      const after = await publicClient.getBlock();
      printResult(globals(), { rpcUrl: endpoint.url, advancedBy: seconds, blockNumber: after.number, timestamp: after.timestamp, previousTimestamp: before.timestamp }, () =>
        [
          `moved the clock of the local chain at ${endpoint.url} forward by ${durationText} (${seconds} s): block ${after.number} is at ${formatTime(Number(after.timestamp))}`,
          `  (the block before was at ${formatTime(Number(before.timestamp))}); every deadline now counts from the new time`,
        ].join("\n"),
      );
    });
}

/** Refuses, in a sentence, any chain but a local Hardhat one. */
async function requireLocalDevChain(client: PublicClient, chainId: number, url: string): Promise<void> {
  if (chainId !== LOCAL_CHAIN_ID) {
    throw new CliError(`bazaar dev advance moves the clock of the local development chain only (npm start's, chain id ${LOCAL_CHAIN_ID}); ${url} is chain ${chainId}, whose clock nobody can move`);
  }
  try {
    await rpc(client, "hardhat_metadata", []);
  } catch {
    throw new CliError(`bazaar dev advance moves the clock of a local Hardhat chain only; chain ${chainId} at ${url} does not answer hardhat_metadata, so it is not one`);
  }
}

function rpc(client: PublicClient, method: string, params: unknown[]): Promise<unknown> {
  return client.request({ method: method as never, params: params as never });
}
