/** An address cut to its ends (the full one in its title and for screen readers), with a copy button. */
import { useEffect, useState } from "react";
import type { Address as Hex20 } from "viem";
import { shortAddress } from "../format.ts";
import { CheckIcon, CopyIcon } from "./Icons.tsx";

export function Address({ address, copy = true }: { address: Hex20; copy?: boolean }) {
  return (
    <span className="inline-flex items-center gap-1 whitespace-nowrap">
      <span className="font-mono text-[0.9em]" title={address}>
        {shortAddress(address)}
      </span>
      {copy ? <CopyButton text={address} label={`Copy address ${address}`} /> : null}
    </span>
  );
}

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <button
      type="button"
      className="btn btn-ghost btn-xs btn-square"
      aria-label={copied ? "Copied" : label}
      title={copied ? "Copied" : "Copy"}
      onClick={() => void navigator.clipboard?.writeText(text).then(() => setCopied(true), () => undefined)}
    >
      {copied ? <CheckIcon className="text-success" /> : <CopyIcon />}
    </button>
  );
}
