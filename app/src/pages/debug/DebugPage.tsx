/**
 * The debug page (#/debug), after Scaffold-ETH 2's debug contracts page: every view and pure
 * function of the registry and the market, straight from the generated ABIs, with a field per
 * argument and a Read button; functions without arguments are read at once. Results are shown
 * for people (amounts in ETH, enums by name, tuples by field) and follow new blocks.
 */
import { useState } from "react";
import type { Abi, AbiFunction, Address } from "viem";
import { modelMarketAbi, modelRegistryAbi } from "@modelbazaar/sdk/abis";
import { PageHeader } from "../../components/PageHeader.tsx";
import { chain, deployment } from "../../marketConfig.ts";
import { PartyLink } from "../explorer/_components/links.tsx";
import { ReadFunction } from "./_components/ReadFunction.tsx";

const CONTRACTS: readonly { name: string; address: Address; abi: Abi }[] = [
  { name: "ModelMarket", address: deployment.market, abi: modelMarketAbi },
  { name: "ModelRegistry", address: deployment.registry, abi: modelRegistryAbi },
];

/** The view and pure functions of an ABI, those without arguments first, then by name. */
export function readFunctions(abi: Abi): AbiFunction[] {
  return abi
    .filter((item): item is AbiFunction => item.type === "function" && (item.stateMutability === "view" || item.stateMutability === "pure"))
    .sort((a, b) => Math.sign(a.inputs.length) - Math.sign(b.inputs.length) || a.name.localeCompare(b.name));
}

export function DebugPage() {
  const [selected, setSelected] = useState(CONTRACTS[0]!.name);
  const contract = CONTRACTS.find((c) => c.name === selected) ?? CONTRACTS[0]!;
  const functions = readFunctions(contract.abi);
  return (
    <main>
      <PageHeader title="Debug contracts">
        <p>Call any read function of the contracts on {chain.name}. Integers take decimal, 0x hex or amounts like "1.5 eth"; tuples and arrays take JSON.</p>
      </PageHeader>
      <div role="tablist" aria-label="Contract" className="tabs tabs-box mb-4 w-fit">
        {CONTRACTS.map((c) => (
          <button key={c.name} type="button" role="tab" aria-selected={c.name === contract.name} className={`tab ${c.name === contract.name ? "tab-active" : "text-base-content"}`} onClick={() => setSelected(c.name)}>
            {c.name}
          </button>
        ))}
      </div>
      <section aria-labelledby="debug-contract" role="tabpanel">
        <h2 id="debug-contract" className="mb-1 text-xl font-semibold">
          {contract.name}
        </h2>
        <p className="mb-4 text-sm">
          <PartyLink address={contract.address} /> · {functions.length} read functions
        </p>
        <div className="grid gap-4 md:grid-cols-2">
          {functions.map((fn) => (
            <ReadFunction key={`${contract.name}.${fn.name}(${fn.inputs.map((i) => i.type).join(",")})`} address={contract.address} abi={contract.abi} fn={fn} />
          ))}
        </div>
      </section>
    </main>
  );
}
