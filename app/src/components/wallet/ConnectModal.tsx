/**
 * The connect dialog (a native <dialog>: focus is trapped, Escape closes it): the browser's
 * wallets found by EIP-6963 (or a legacy injected one), WalletConnect when configured, and on
 * the local chain the dev wallet with a choice of `npm start`'s funded accounts, marked as
 * development only.
 */
import { useEffect, useId, useRef, useState } from "react";
import type { Address } from "viem";
import { useConnect, useConnectors, type Connector } from "wagmi";
import { shortAddress } from "../../format.ts";
import { dev } from "../../marketConfig.ts";
import { DEV_WALLET_ID } from "../../wallet/devWallet.ts";
import { txErrorSentence } from "../../wallet/txError.ts";
import { CloseIcon, WalletIcon } from "../Icons.tsx";

export function ConnectModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const selectId = useId();
  const connectors = useConnectors();
  const { connect, error, isPending, variables, reset } = useConnect();
  const [devAccount, setDevAccount] = useState<Address | undefined>(dev?.provider.selected().address);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      reset();
      element.showModal();
    } else if (!open && element.open) element.close();
  }, [open, reset]);

  const browserWallets = connectors.filter((c) => c.id !== DEV_WALLET_ID && c.type !== "walletConnect");
  const walletConnect = connectors.find((c) => c.type === "walletConnect");
  const devConnector = connectors.find((c) => c.id === DEV_WALLET_ID);
  const choose = (connector: Connector) => connect({ connector }, { onSuccess: onClose });
  const busy = (connector: Connector) => isPending && variables?.connector === connector;

  return (
    <dialog ref={dialog} className="modal modal-bottom sm:modal-middle" aria-labelledby={titleId} onClose={onClose} data-testid="connect-modal">
      <div className="modal-box max-w-md">
        <div className="mb-4 flex items-center justify-between">
          <h2 id={titleId} className="text-lg font-bold">
            Connect a wallet
          </h2>
          <button type="button" className="btn btn-ghost btn-sm btn-square" aria-label="Close" onClick={onClose}>
            <CloseIcon />
          </button>
        </div>

        <section aria-label="Browser wallets">
          <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-base-content/80">In this browser</h3>
          {browserWallets.length === 0 ? (
            <p className="rounded-box bg-base-200 p-3 text-sm">No browser wallet found. Install MetaMask, Rabby or another wallet that announces itself (EIP-6963), then reload.</p>
          ) : (
            <ul className="flex flex-col gap-2">
              {browserWallets.map((connector) => (
                <li key={connector.uid}>
                  <button type="button" className="btn btn-block justify-start gap-3" onClick={() => choose(connector)} disabled={isPending}>
                    {connector.icon ? <img src={connector.icon} alt="" className="size-6 rounded" /> : <WalletIcon className="size-6" />}
                    {connector.name}
                    {busy(connector) ? <span className="loading loading-spinner loading-sm ml-auto" aria-label="Connecting" /> : null}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>

        {walletConnect ? (
          <section aria-label="WalletConnect" className="mt-4">
            <button type="button" className="btn btn-block justify-start gap-3" onClick={() => choose(walletConnect)} disabled={isPending}>
              <WalletIcon className="size-6" /> WalletConnect (phone wallets)
            </button>
          </section>
        ) : null}

        {dev && devConnector ? (
          <section aria-labelledby={`${titleId}-dev`} className="mt-5 rounded-box border border-warning/60 bg-warning/10 p-3">
            <div className="mb-2 flex items-center gap-2">
              <h3 id={`${titleId}-dev`} className="font-semibold">
                Dev wallet
              </h3>
              <span className="badge badge-warning badge-sm">development only</span>
            </div>
            <p className="mb-3 text-sm">The local chain's funded test accounts. Their keys are public: never send real funds to them. Offered on the local chain only.</p>
            <label htmlFor={selectId} className="mb-1 block text-sm font-medium">
              Account
            </label>
            <select
              id={selectId}
              className="select select-bordered mb-3 w-full"
              value={devAccount}
              onChange={(event) => {
                const address = event.target.value as Address;
                setDevAccount(address);
                dev?.provider.select(address);
              }}
            >
              {dev.provider.accounts.map((account, i) => (
                <option key={account.address} value={account.address}>
                  #{i} {shortAddress(account.address)} ({account.role})
                </option>
              ))}
            </select>
            <button type="button" className="btn btn-warning btn-block" onClick={() => choose(devConnector)} disabled={isPending}>
              Connect dev wallet
              {busy(devConnector) ? <span className="loading loading-spinner loading-sm" aria-label="Connecting" /> : null}
            </button>
          </section>
        ) : null}

        {error ? (
          <p role="alert" className="alert alert-error alert-soft mt-4 text-sm">
            {txErrorSentence(error)}
          </p>
        ) : null}
      </div>
      <form method="dialog" className="modal-backdrop">
        <button type="submit" tabIndex={-1}>
          close
        </button>
      </form>
    </dialog>
  );
}
