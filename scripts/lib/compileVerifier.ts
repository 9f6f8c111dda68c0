/**
 * Compiles one generated Groth16 verifier with the project's solc (the npm package, with the
 * settings of hardhat.config.ts), so bench:zk deploys exactly the file a setup's transcript names,
 * including the setups kept outside contracts/ (`zk:setup --out`).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename } from "node:path";
import type { Abi, Hex } from "viem";
import { solcSettings } from "../../hardhat.config.ts";

const solc = createRequire(import.meta.url)("solc") as { compile(standardJsonInput: string): string };

interface SolcOutput {
  errors?: { severity: "error" | "warning" | "info"; formattedMessage: string }[];
  contracts?: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>;
}

export function compileVerifier(file: string, contract: string): { abi: Abi; bytecode: Hex } {
  const source = basename(file);
  const input = {
    language: "Solidity",
    sources: { [source]: { content: readFileSync(file, "utf8") } },
    settings: { ...solcSettings, outputSelection: { [source]: { [contract]: ["abi", "evm.bytecode.object"] } } },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0) throw new Error(`solc rejected ${file}:\n${errors.map((e) => e.formattedMessage).join("\n")}`);
  const compiled = output.contracts?.[source]?.[contract];
  if (compiled === undefined) throw new Error(`${file} does not define contract ${contract}`);
  return { abi: compiled.abi, bytecode: `0x${compiled.evm.bytecode.object}` };
}
