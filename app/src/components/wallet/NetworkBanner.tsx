/** Shown while the connected wallet is on another network than the dApp's, with a button to switch it. */
import { useConnection, useSwitchChain } from "wagmi";
import { chain } from "../../marketConfig.ts";
import { txErrorSentence } from "../../wallet/txError.ts";
import { AlertIcon } from "../Icons.tsx";

export function NetworkBanner() {
  const { chainId, isConnected } = useConnection();
  const { switchChain, isPending, error } = useSwitchChain();
  if (!isConnected || chainId === chain.id) return null;
  return (
    <div role="alert" className="alert alert-warning rounded-none border-x-0 px-3 sm:px-6" data-testid="wrong-network">
      <AlertIcon className="size-5 shrink-0" />
      <span>
        Your wallet is on {chainId === undefined ? "an unknown network" : `chain ${chainId}`}; this dApp works on {chain.name} (chain id {chain.id}).
        {error ? ` ${txErrorSentence(error, chain)}` : ""}
      </span>
      <button type="button" className="btn btn-sm" onClick={() => switchChain({ chainId: chain.id })} disabled={isPending}>
        {isPending ? "Switching…" : "Switch network"}
      </button>
    </div>
  );
}
