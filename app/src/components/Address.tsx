/** An address cut to its ends (the full one in its title and for screen readers), with a copy button. */
import { useEffect, useState } from "react";
import type { Address as Hex20 } from "viem";
import { shortAddress } from "../format.ts";
import { CheckIcon, CopyIcon } from "./Icons.tsx";

export function Address({ address, copy = true }: { address: Hex20; copy?: boolean }) {
  return (
    // Inline, not flex: a flex box would break the row's text (innerText, copy-paste) into lines.
    <span className="whitespace-nowrap">
      <span className="mr-1 align-middle font-mono text-[0.9em]" title={address}>
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
      // inline-block, not daisyUI's inline-flex: flex would make the icon a block and break the row's innerText.
      className="btn btn-ghost btn-xs btn-square inline-block p-0 align-middle leading-none"
      aria-label={copied ? "Copied" : label}
      title={copied ? "Copied" : "Copy"}
      onClick={() => void navigator.clipboard?.writeText(text).then(() => setCopied(true), () => undefined)}
    >
      {copied ? <CheckIcon className="inline align-middle text-success" /> : <CopyIcon className="inline align-middle" />}
    </button>
  );
}
