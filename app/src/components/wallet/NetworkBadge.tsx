/** The chain the dApp reads and its latest block, live; red when the wallet is on another network. */
import { useBlockNumber, useConnection } from "wagmi";
import { chain } from "../../marketConfig.ts";

export function NetworkBadge() {
  const { chainId, isConnected } = useConnection();
  const { data: block } = useBlockNumber({ watch: true, chainId: chain.id });
  const wrong = isConnected && chainId !== chain.id;
  return (
    <span className={`badge gap-1.5 whitespace-nowrap ${wrong ? "badge-error" : "badge-ghost"}`} title={`chain id ${chain.id}`} data-testid="network-badge">
      <span className={`inline-block size-2 rounded-full ${wrong ? "bg-error-content" : "bg-success"}`} aria-hidden="true" />
      {wrong ? "Wrong network" : chain.name}
      {!wrong && block !== undefined ? <span className="hidden font-mono text-xs opacity-80 lg:inline">#{block.toString()}</span> : null}
    </span>
  );
}
