/**
 * One decoded event as the explorer shows it: where it happened (block, time, transaction,
 * log index), its name and arguments, the amounts in wei, the parties, and the entities it
 * names. Built from the ABI alone (an argument `testId` names a test-drive, an unsigned
 * integer named like an amount holds wei, an address argument is a party), so an event added
 * to the contracts appears with its amounts and parties without code here.
 */
import type { AbiEvent, AbiParameter, Address, Hash } from "viem";
import { modelMarketAbi, modelRegistryAbi } from "../generated/abis.ts";
import { ENTITY_ID_PARAMETERS, isAmountParameter } from "./abiValues.ts";
import { enumLabel, enumMember } from "./enumLabels.ts";

/** The kinds of entity the explorer groups events into. A dispute is a test-drive refunded by proof. */
export const ENTITY_KINDS = ["listing", "test", "dispute", "auction", "purchase"] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

export interface EntityRef {
  readonly kind: EntityKind;
  readonly id: bigint;
}

/** The contract that emitted an event, by its role in the deployment. */
export type ContractName = "registry" | "market";

export interface ExplorerEntry {
  readonly contract: ContractName;
  readonly eventName: string;
  /** The event's arguments by name, as viem decodes them. */
  readonly args: Readonly<Record<string, unknown>>;
  /** The event's ABI inputs, in order (for display: types, tuples, enums). */
  readonly inputs: readonly AbiParameter[];
  readonly blockNumber: bigint;
  readonly timestamp: bigint;
  readonly transactionHash: Hash;
  readonly logIndex: number;
  /** Every amount argument, in wei, in ABI order. */
  readonly amounts: readonly { readonly name: string; readonly wei: bigint }[];
  /** Every address argument, named by its role (seller, buyer, bidder, payee, …). */
  readonly parties: readonly { readonly role: string; readonly address: Address }[];
  /** The entities whose id the event names (zero ids, e.g. "no purchase", are left out). */
  readonly entities: readonly EntityRef[];
  /** Enum arguments by their labels (`outcome: "applied to a purchase"`, sdk/src/labels/stateLabels.ts). */
  readonly labels: Readonly<Record<string, string>>;
  /** The account that sent the transaction, when the loader fetched it. */
  readonly sender?: Address;
}

const EVENTS: Record<ContractName, Map<string, AbiEvent>> = {
  registry: eventsOf(modelRegistryAbi),
  market: eventsOf(modelMarketAbi),
};

function eventsOf(abi: readonly { type: string }[]): Map<string, AbiEvent> {
  return new Map(abi.filter((item): item is AbiEvent => item.type === "event").map((event) => [event.name, event]));
}

/** A decoded log as collectEvents returns it (any event of either ABI). */
export interface DecodedEvent {
  readonly eventName: string;
  readonly args: unknown;
  readonly blockNumber: bigint | null;
  readonly logIndex: number | null;
  readonly transactionHash: Hash | null;
  readonly timestamp: bigint;
}

/** The explorer's view of one decoded event of `contract`. */
export function explorerEntry(contract: ContractName, event: DecodedEvent, sender?: Address): ExplorerEntry {
  const inputs = EVENTS[contract].get(event.eventName)?.inputs ?? [];
  const args = (event.args ?? {}) as Record<string, unknown>;
  const amounts: { name: string; wei: bigint }[] = [];
  const parties: { role: string; address: Address }[] = [];
  const entities: EntityRef[] = [];
  const labels: Record<string, string> = {};
  const members: Record<string, string> = {};
  for (const input of inputs) {
    const name = input.name ?? "";
    const value = args[name];
    if (input.type === "address" && typeof value === "string") parties.push({ role: name, address: value as Address });
    else if (typeof value === "bigint" && name in ENTITY_ID_PARAMETERS) {
      if (value !== 0n) entities.push({ kind: ENTITY_ID_PARAMETERS[name as keyof typeof ENTITY_ID_PARAMETERS], id: value });
    } else if (typeof value === "bigint" && isAmountParameter(input)) amounts.push({ name, wei: value });
    const label = enumLabel(input.internalType, value);
    if (label !== undefined) labels[name] = label;
    const member = enumMember(input.internalType, value);
    if (member !== undefined) members[name] = member;
  }
  if (event.eventName === "TestClosed" && members.outcome === "Refunded") entities.push({ kind: "dispute", id: args.testId as bigint });
  return {
    contract,
    eventName: event.eventName,
    args,
    inputs,
    blockNumber: event.blockNumber!,
    timestamp: event.timestamp,
    transactionHash: event.transactionHash!,
    logIndex: event.logIndex!,
    amounts,
    parties,
    entities,
    labels,
    ...(sender ? { sender } : {}),
  };
}

/** Chain order: by block, then by position in the block. */
export function chainOrder(a: Pick<ExplorerEntry, "blockNumber" | "logIndex">, b: Pick<ExplorerEntry, "blockNumber" | "logIndex">): number {
  return a.blockNumber !== b.blockNumber ? (a.blockNumber < b.blockNumber ? -1 : 1) : a.logIndex - b.logIndex;
}

/** The key of an entity in maps and routes: "test/3". */
export const entityKey = (ref: EntityRef): string => `${ref.kind}/${ref.id}`;
