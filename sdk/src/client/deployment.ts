/**
 * Where a ModelBazaar deployment lives: the record `npm run deploy` / `npm start` write to
 * deployments/<chainId>.json, read by the CLI, the worker, the app and `bazaar audit`.
 */
import { isAddress, type Address } from "viem";

export interface Deployment {
  readonly chainId: number;
  readonly registry: Address;
  readonly market: Address;
  /** The block before the deployment: where event scans start. */
  readonly startBlock: bigint;
}

export class DeploymentError extends Error {
  override readonly name = "DeploymentError";
}

/** Validates a parsed deployment record (JSON numbers and strings) into a {Deployment}. */
export function parseDeployment(json: unknown, source = "the deployment record"): Deployment {
  const record = json as Record<string, unknown> | null;
  if (typeof record !== "object" || record === null) throw new DeploymentError(`${source} is not a JSON object`);
  const address = (key: string): Address => {
    const value = record[key];
    if (typeof value !== "string" || !isAddress(value)) throw new DeploymentError(`${source} lacks a valid "${key}" address`);
    return value;
  };
  const chainId = Number(record.chainId);
  if (!Number.isSafeInteger(chainId) || chainId <= 0) throw new DeploymentError(`${source} lacks a valid "chainId"`);
  let startBlock: bigint;
  try {
    startBlock = BigInt(String(record.startBlock ?? 0));
  } catch {
    throw new DeploymentError(`${source} has a "startBlock" that is not a block number`);
  }
  return { chainId, registry: address("registry"), market: address("market"), startBlock };
}
