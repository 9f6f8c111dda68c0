/**
 * Money checks of the audit (docs/PROTOCOL.md §6): the books rebuilt from the market's events
 * (marketBook.ts) must be consistent (no entity pays out more than it held), the market's
 * balance must cover everything held plus everything owed, each account's credit must equal
 * the contract's `owed`, and the registry's balance must cover the promotion fees not yet
 * withdrawn, and the market's `RefundDisputes` must hold the stakes of the disputes still
 * live (B_b + F per claim, + B_s once contested: it hands them to the market with each
 * settlement, so the market's own books never hold them). Ether beyond that was forced in (a
 * self-destructing contract, a block reward) and belongs to no one: it is reported apart as
 * unowned, never as a broken invariant, and no contract function depends on it. Balances are
 * read at the audit's last block.
 */
import { type Address, type PublicClient } from "viem";
import type { Deployment } from "../client/deployment.ts";
import { modelMarketAbi } from "../generated/abis.ts";
import { etherText as eth } from "../labels/etherText.ts";
import { amountFinding, finding, type AuditFinding } from "./findings.ts";
import { marketBookFromLogs, totalHeld, totalOwed, type MarketBook } from "./marketBook.ts";
import type { CollectedEvents } from "./collectEvents.ts";
import type { MarketTrail } from "./marketTrail.ts";
import { liveDisputeStakes } from "./refundDisputeChecks.ts";

/** The money side of the report. */
export interface FundsSummary {
  readonly marketBalance: bigint;
  readonly held: bigint;
  readonly owed: bigint;
  readonly registryBalance: bigint;
  readonly promotionFeesHeld: bigint;
  /** The market's `RefundDisputes`: its balance and the stakes of the live disputes it holds. */
  readonly disputes?: { readonly address: Address; readonly balance: bigint; readonly staked: bigint };
  /** Ether in the market, the registry and `RefundDisputes` (only when some) that nothing holds or owes (forced in). */
  readonly unowned: { readonly market: bigint; readonly registry: bigint; readonly disputes?: bigint };
}

export async function checkFunds(
  client: PublicClient,
  deployment: Deployment,
  events: CollectedEvents,
  trail: MarketTrail,
): Promise<{ findings: AuditFinding[]; funds?: FundsSummary }> {
  let book: MarketBook;
  try {
    book = marketBookFromLogs(events.marketLogs);
  } catch (error) {
    return { findings: [finding("funds.book", "market", false, `the events contradict themselves: ${(error as Error).message}`)] };
  }
  const blockNumber = events.toBlock;
  const [marketBalance, registryBalance] = await Promise.all([
    client.getBalance({ address: deployment.market, blockNumber }),
    client.getBalance({ address: deployment.registry, blockNumber }),
  ]);
  const held = totalHeld(book);
  const owed = totalOwed(book);
  const promotionFeesHeld = trail.promotionFees.paid - trail.promotionFees.withdrawn;
  const covered = marketBalance >= held + owed;
  const disputes = events.disputesAddress
    ? { address: events.disputesAddress, balance: await client.getBalance({ address: events.disputesAddress, blockNumber }), staked: liveDisputeStakes(trail) }
    : undefined;
  const unowned = {
    market: covered ? marketBalance - held - owed : 0n,
    registry: registryBalance > promotionFeesHeld ? registryBalance - promotionFeesHeld : 0n,
    ...(disputes && disputes.balance > disputes.staked ? { disputes: disputes.balance - disputes.staked } : {}),
  };
  const findings = [
    finding("funds.book", "market", true, "no test-drive, bid, purchase or account paid out more than it held"),
    finding(
      "funds.conserved",
      "market",
      covered,
      `balance ${eth(marketBalance)} ${covered ? "≥" : "<"} held ${eth(held)} + owed ${eth(owed)} (from the events)${unowned.market > 0n ? `; ${eth(unowned.market)} unowned (forced in)` : ""}`,
    ),
    finding(
      "funds.registry",
      "registry",
      registryBalance >= promotionFeesHeld,
      `balance ${eth(registryBalance)} ${registryBalance >= promotionFeesHeld ? "≥" : "<"} promotion fees held ${eth(promotionFeesHeld)}${unowned.registry > 0n ? `; ${eth(unowned.registry)} unowned (forced in)` : ""}`,
    ),
    ...(disputes
      ? [
          finding(
            "funds.disputes",
            `disputes ${disputes.address}`,
            disputes.balance >= disputes.staked,
            `balance ${eth(disputes.balance)} ${disputes.balance >= disputes.staked ? "≥" : "<"} the stakes of the live disputes ${eth(disputes.staked)} (from its events)${unowned.disputes ? `; ${eth(unowned.disputes)} unowned (forced in)` : ""}`,
          ),
        ]
      : []),
    ...(await checkOwed(client, deployment.market, book, blockNumber)),
  ];
  return { findings, funds: { marketBalance, held, owed, registryBalance, promotionFeesHeld, disputes, unowned } };
}

async function checkOwed(client: PublicClient, market: Address, book: MarketBook, blockNumber: bigint): Promise<AuditFinding[]> {
  return Promise.all(
    [...book.owed].map(async ([account, fromEvents]) => {
      const onChain = await client.readContract({ address: market, abi: modelMarketAbi, functionName: "owed", args: [account], blockNumber });
      return amountFinding("funds.owed", account, "the credit the market owes", fromEvents, onChain);
    }),
  );
}
