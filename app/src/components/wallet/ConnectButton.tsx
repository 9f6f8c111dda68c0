/** The navbar's wallet control: "Connect wallet" (opens ConnectModal), or the account menu once connected. */
import { useState } from "react";
import { useConnection } from "wagmi";
import { WalletIcon } from "../Icons.tsx";
import { AccountMenu } from "./AccountMenu.tsx";
import { ConnectModal } from "./ConnectModal.tsx";

export function ConnectButton() {
  const { address, status } = useConnection();
  const [open, setOpen] = useState(false);
  if (address && status === "connected") return <AccountMenu address={address} />;
  return (
    <>
      <button type="button" className="btn btn-primary btn-sm sm:btn-md" onClick={() => setOpen(true)} disabled={status === "reconnecting"}>
        <WalletIcon className="size-4" />
        {status === "reconnecting" ? "Reconnecting…" : "Connect wallet"}
      </button>
      <ConnectModal open={open} onClose={() => setOpen(false)} />
    </>
  );
}
