/** Jump to a transaction (0x + 64 hex digits) or an account (0x + 40) by pasting it. */
import { useState, type FormEvent } from "react";
import { isAddress, isHash } from "viem";

export function GoTo() {
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = text.trim();
    if (isHash(value)) window.location.hash = `#/tx/${value}`;
    else if (isAddress(value, { strict: false })) window.location.hash = `#/address/${value}`;
    else return setProblem("Paste a transaction hash (0x and 64 hex digits) or an address (0x and 40).");
    setProblem(undefined);
  };
  return (
    <form onSubmit={submit} className="mb-4" role="search">
      <div className="join w-full max-w-xl">
        <input
          className="input join-item w-full font-mono"
          aria-label="Transaction hash or address"
          placeholder="Transaction hash or address"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={problem ? true : undefined}
        />
        <button type="submit" className="btn btn-primary join-item">
          Go
        </button>
      </div>
      {problem ? <p className="mt-1 text-sm text-error">{problem}</p> : null}
    </form>
  );
}
