/**
 * One account (#/address/<address>): its balance and what the market owes it, the entities it
 * took part in and every event that names it or that it sent, following new blocks.
 */
import { keepPreviousData } from "@tanstack/react-query";
import { isAddress, getAddress, type Address as Hex20 } from "viem";
import { useBalance, useBlockNumber, useReadContract } from "wagmi";
import { addressActivity } from "@modelbazaar/sdk/explorer";
import { modelMarketAbi } from "@modelbazaar/sdk/abis";
import { CopyButton } from "../../components/Address.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { EmptyState, ErrorState, LoadingState } from "../../components/States.tsx";
import { publicAddressUrl } from "../../explorerConfig.ts";
import { ether } from "../../format.ts";
import { useExplorer } from "../../hooks/useExplorer.ts";
import { useHashRoute } from "../../hooks/useHashRoute.ts";
import { deployment } from "../../marketConfig.ts";
import { ActivityTable } from "./_components/ActivityTable.tsx";
import { EntityTable } from "./_components/EntityTable.tsx";

export function AddressPage() {
  const text = useHashRoute().split("/")[2] ?? "";
  if (!isAddress(text, { strict: false })) {
    return (
      <main>
        <EmptyState title="Not an address">
          <p>"{text}" is not an account address (0x and 40 hex digits).</p>
        </EmptyState>
      </main>
    );
  }
  return <Account address={getAddress(text)} />;
}

function Account({ address }: { address: Hex20 }) {
  const { data: index, error, isLoading } = useExplorer();
  const { data: blockNumber } = useBlockNumber({ watch: true });
  const balance = useBalance({ address, blockNumber, query: { placeholderData: keepPreviousData } });
  const owed = useReadContract({ address: deployment.market, abi: modelMarketAbi, functionName: "owed", args: [address], blockNumber, query: { placeholderData: keepPreviousData } });
  const activity = index ? addressActivity(index, address) : undefined;
  const external = publicAddressUrl(address);
  const role = address.toLowerCase() === deployment.market.toLowerCase() ? "the market" : address.toLowerCase() === deployment.registry.toLowerCase() ? "the registry" : undefined;
  return (
    <main>
      <PageHeader title={role ? `Account: ${role}` : "Account"}>
        <p className="flex flex-wrap items-center gap-1 font-mono break-all">
          {address} <CopyButton text={address} label={`Copy address ${address}`} />
          {external ? (
            <a className="link font-sans" href={external} target="_blank" rel="noreferrer">
              on the public explorer ↗
            </a>
          ) : null}
        </p>
      </PageHeader>
      <div className="stats stats-vertical mb-6 bg-base-100 shadow-sm sm:stats-horizontal">
        <div className="stat">
          <div className="stat-title">Balance</div>
          <div className="stat-value text-2xl" data-testid="balance">
            {balance.data ? ether(balance.data.value) : "…"}
          </div>
        </div>
        <div className="stat">
          <div className="stat-title">Owed by the market (withdraw)</div>
          <div className="stat-value text-2xl">{owed.data !== undefined ? ether(owed.data) : "…"}</div>
        </div>
      </div>
      {error ? <ErrorState title="Cannot read the market's events" error={error} /> : null}
      {isLoading ? <LoadingState>Reading the market's events…</LoadingState> : null}
      {activity ? (
        <>
          <section aria-labelledby="account-entities" className="mb-8">
            <h2 id="account-entities" className="mb-3 text-xl font-semibold">
              Took part in ({activity.entities.length})
            </h2>
            {activity.entities.length > 0 ? <EntityTable timelines={activity.entities} /> : <EmptyState title="No listing, test-drive, auction or purchase names this account" />}
          </section>
          <section aria-labelledby="account-activity">
            <h2 id="account-activity" className="mb-3 text-xl font-semibold">
              Events ({activity.entries.length})
            </h2>
            {activity.entries.length > 0 ? <ActivityTable entries={activity.entries} /> : <EmptyState title="No event names this account" />}
          </section>
        </>
      ) : null}
    </main>
  );
}
