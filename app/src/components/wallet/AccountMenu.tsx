/**
 * The connected account: a button with the address and balance that opens a panel with the
 * full address (copy), the ETH balance, what `withdraw()` on the market would pay now, the
 * Withdraw button (the first write through useTransactor), the dev account picker when the dev
 * wallet is connected, and Disconnect. Balances refresh at every block.
 */
import { useEffect, useId, useRef, useState } from "react";
import type { Address as Hex20 } from "viem";
import { useConnection, useDisconnect } from "wagmi";
import { modelMarketAbi } from "@modelbazaar/sdk/abis";
import { ether, etherShort, shortAddress } from "../../format.ts";
import { useAccountFunds } from "../../hooks/useAccountFunds.ts";
import { useTransactor } from "../../hooks/useTransactor.ts";
import { deployment, dev } from "../../marketConfig.ts";
import { DEV_WALLET_ID } from "../../wallet/devWallet.ts";
import { Address } from "../Address.tsx";

export function AccountMenu({ address }: { address: Hex20 }) {
  const { connector } = useConnection();
  const { disconnect } = useDisconnect();
  const { balance, owed } = useAccountFunds(address);
  const { transact, pending } = useTransactor();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const isDev = connector?.id === DEV_WALLET_ID;

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  const withdraw = () => transact({ description: `Withdraw ${owed === undefined ? "" : ether(owed)}`.trim(), address: deployment.market, abi: modelMarketAbi, functionName: "withdraw" });

  return (
    <div ref={root} className="relative">
      <button type="button" className="btn btn-sm sm:btn-md gap-2" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen(!open)} data-testid="account-button">
        {isDev ? <span className="badge badge-warning badge-xs" aria-label="dev wallet" /> : null}
        <span className="font-mono">{shortAddress(address)}</span>
        <span className="hidden font-normal text-base-content/80 md:inline">{balance === undefined ? "…" : etherShort(balance)}</span>
      </button>
      {open ? (
        <div id={panelId} role="region" aria-label="Account" className="card card-border absolute right-0 z-40 mt-2 w-[min(22rem,calc(100vw-1.5rem))] bg-base-100 shadow-xl">
          <div className="card-body gap-3 p-4">
            <div className="flex items-center justify-between gap-2">
              <Address address={address} />
              <span className="badge badge-ghost badge-sm">{connector?.name ?? "wallet"}</span>
            </div>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
              <dt className="text-base-content/80">Balance</dt>
              <dd className="text-right font-mono break-all" data-testid="account-balance">
                {balance === undefined ? "…" : ether(balance)}
              </dd>
              <dt className="text-base-content/80">Withdrawable</dt>
              <dd className="text-right font-mono break-all" data-testid="account-owed">
                {owed === undefined ? "…" : ether(owed)}
              </dd>
            </dl>
            <button type="button" className="btn btn-primary btn-sm" onClick={() => void withdraw()} disabled={pending || !owed}>
              {pending ? <span className="loading loading-spinner loading-xs" aria-hidden="true" /> : null}
              {owed ? `Withdraw ${ether(owed)}` : "Nothing to withdraw"}
            </button>
            {isDev && dev ? <DevAccountPicker /> : null}
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => (setOpen(false), disconnect())}>
              Disconnect
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}

function DevAccountPicker() {
  const id = useId();
  const { address } = useConnection();
  if (!dev) return null;
  return (
    <div className="rounded-box border border-warning/60 bg-warning/10 p-2">
      <label htmlFor={id} className="mb-1 flex items-center gap-2 text-xs font-semibold">
        Dev account <span className="badge badge-warning badge-xs">development only</span>
      </label>
      <select id={id} className="select select-sm w-full" value={address} onChange={(event) => dev!.provider.select(event.target.value as Hex20)}>
        {dev.provider.accounts.map((account, i) => (
          <option key={account.address} value={account.address}>
            #{i} {shortAddress(account.address)} ({account.role})
          </option>
        ))}
      </select>
    </div>
  );
}
