/**
 * One read function of a contract: a field per argument (parsed by the SDK's parseAbiInput,
 * with its message when a value does not fit the type), a Read button, and the result drawn
 * per output (ValueView). A function without arguments reads at once; every result is read
 * again as blocks arrive. Reverts are phrased by the SDK's decodeRevert.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import type { Abi, AbiFunction, Address } from "viem";
import { useBlockNumber, usePublicClient } from "wagmi";
import { decodeRevert } from "@modelbazaar/sdk/errors";
import { AbiInputError, parseAbiInput, readableValue } from "@modelbazaar/sdk/explorer";
import { ValueView } from "../../explorer/_components/ValueView.tsx";

const stringify = (args: readonly unknown[]) => JSON.stringify(args, (_, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));

export function ReadFunction({ address, abi, fn }: { address: Address; abi: Abi; fn: AbiFunction }) {
  const id = useId();
  const publicClient = usePublicClient();
  const { data: blockNumber } = useBlockNumber({ watch: true });
  const [fields, setFields] = useState<string[]>(() => fn.inputs.map(() => ""));
  const [args, setArgs] = useState<readonly unknown[] | undefined>(fn.inputs.length === 0 ? [] : undefined);
  const [problem, setProblem] = useState<string>();
  const result = useQuery({
    queryKey: ["debug-read", address, fn.name, fn.inputs.map((i) => i.type).join(","), args ? stringify(args) : "", blockNumber?.toString()],
    queryFn: () => publicClient!.readContract({ address, abi, functionName: fn.name, args: args as unknown[], ...(blockNumber !== undefined ? { blockNumber } : {}) }),
    enabled: publicClient !== undefined && args !== undefined,
    placeholderData: keepPreviousData,
    retry: false,
    refetchOnWindowFocus: false,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    try {
      setArgs(fn.inputs.map((input, i) => parseAbiInput(input, fields[i] ?? "")));
      setProblem(undefined);
    } catch (error) {
      if (!(error instanceof AbiInputError)) throw error;
      setProblem(error.message);
    }
  };
  const outputs = fn.outputs.length === 1 ? [result.data] : (result.data as readonly unknown[] | undefined);
  return (
    <form className="card card-border bg-base-100" onSubmit={submit} aria-labelledby={id} data-testid={`read-${fn.name}`}>
      <div className="card-body gap-3 p-4">
        <h3 id={id} className="font-mono text-base font-semibold">
          {fn.name}
          <span className="font-normal text-base-content/70">({fn.inputs.map((i) => `${i.type} ${i.name}`).join(", ")})</span>
        </h3>
        {fn.inputs.map((input, i) => (
          <label key={i} className="floating-label">
            <span>
              {input.name || `argument ${i}`} ({input.type})
            </span>
            <input
              className="input input-sm w-full font-mono"
              placeholder={`${input.name || `argument ${i}`} (${input.type})`}
              value={fields[i]}
              onChange={(e) => setFields((f) => f.map((v, j) => (j === i ? e.target.value : v)))}
            />
          </label>
        ))}
        {fn.inputs.length > 0 ? (
          <button type="submit" className="btn btn-sm btn-primary w-fit">
            Read
          </button>
        ) : null}
        {problem ? (
          <p role="alert" className="text-sm text-error">
            {problem}
          </p>
        ) : null}
        {result.error && args !== undefined ? (
          <p role="alert" className="text-sm text-error">
            {decodeRevert(result.error).sentence}
          </p>
        ) : null}
        {result.isSuccess && outputs ? (
          <div className="text-sm" data-testid="read-result" aria-live="polite">
            {fn.outputs.map((output, i) => (
              <div key={i}>
                {fn.outputs.length > 1 || output.name ? <span className="text-base-content/70">{output.name || `[${i}]`}: </span> : null}
                <ValueView value={readableValue(output, outputs[i], output.name || `[${i}]`)} />
              </div>
            ))}
          </div>
        ) : null}
      </div>
    </form>
  );
}
