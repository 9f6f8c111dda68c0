/**
 * The demo's bookkeeping: traders (a dev account with its wallet and typed contracts), steps
 * that count each trader's transactions and gas, the checks every step asserts, and the chain
 * clock (evm_increaseTime + evm_mine) that skips the protocol's windows.
 */
import { BaseError, createWalletClient, formatEther, http, type Account, type Address, type Chain, type Hash, type PublicClient, type TransactionReceipt, type Transport, type WalletClient } from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { marketContracts, type MarketContracts, type Deployment } from "@modelbazaar/sdk/client";
import { decodeRevert } from "@modelbazaar/sdk/errors";
import { devAccountKey } from "../lib/demoListings.ts";

export interface Trader {
  readonly name: string;
  readonly account: PrivateKeyAccount;
  readonly address: Address;
  readonly contracts: MarketContracts;
  /** For contracts outside the deployment record (the market's `refundDisputes`). */
  readonly walletClient: WalletClient<Transport, Chain | undefined, Account>;
}

export interface Check {
  readonly label: string;
  readonly ok: boolean;
}

export interface StepResult {
  readonly title: string;
  readonly lines: string[];
  readonly checks: Check[];
  readonly txCount: number;
  readonly ms: number;
  readonly error?: string;
}

/** A market the demo trades on: the public client, the deployment and the RPC URL. */
export interface Market {
  readonly publicClient: PublicClient;
  readonly deployment: Deployment;
  readonly rpcUrl: string;
}

export function trader(market: Market, name: string, devAccount: number): Trader {
  const account = privateKeyToAccount(devAccountKey(devAccount));
  const walletClient = createWalletClient({ account, chain: chainOf(market), transport: http(market.rpcUrl) }) as WalletClient<Transport, Chain | undefined, Account>;
  return { name, account, address: account.address, walletClient, contracts: marketContracts({ publicClient: market.publicClient, walletClient, deployment: market.deployment }) };
}

function chainOf({ deployment, rpcUrl }: Market): Chain {
  return { id: deployment.chainId, name: "ModelBazaar demo", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [rpcUrl] } } };
}

/** A failed demo transaction, with the contract's custom error in a sentence. */
export class DemoTransactionError extends Error {
  override readonly name = "DemoTransactionError";
}

/** One step of the demo: its report lines, its checks, its transactions and gas per trader. */
export class Step {
  readonly lines: string[] = [];
  readonly checks: Check[] = [];
  txCount = 0;
  private readonly gasByTrader = new Map<Address, bigint>();
  readonly market: Market;

  constructor(market: Market) {
    this.market = market;
  }

  /** Sends `who`'s transaction and waits for it; a revert throws a sentence. */
  async send(who: Trader, what: string, write: () => Promise<Hash>): Promise<TransactionReceipt> {
    let hash: Hash;
    try {
      hash = await write();
    } catch (error) {
      if (error instanceof BaseError) throw new DemoTransactionError(`${who.name}: ${what} failed: ${decodeRevert(error).sentence}`);
      throw error;
    }
    const receipt = await this.market.publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new DemoTransactionError(`${who.name}: ${what} reverted (transaction ${hash})`);
    this.txCount += 1;
    this.gasByTrader.set(who.address, (this.gasByTrader.get(who.address) ?? 0n) + receipt.gasUsed * receipt.effectiveGasPrice);
    return receipt;
  }

  /** What `who` spent on gas in this step so far. */
  gasOf(who: Trader): bigint {
    return this.gasByTrader.get(who.address) ?? 0n;
  }

  say(line: string): void {
    this.lines.push(line);
  }

  check(label: string, ok: boolean): boolean {
    this.checks.push({ label, ok });
    return ok;
  }

  /**
   * What `who` holds for the demo's money checks: its balance plus what the market owes it
   * plus all the gas it spent in this step, so differences show payments alone.
   */
  async funds(who: Trader): Promise<bigint> {
    const [balance, owed] = await Promise.all([this.market.publicClient.getBalance({ address: who.address }), who.contracts.market.read.owed([who.address])]);
    return balance + owed + this.gasOf(who);
  }

  /** Moves the chain's clock `seconds` ahead and mines a block. */
  async skip(seconds: number): Promise<void> {
    await rpc(this.market.rpcUrl, "evm_increaseTime", [seconds]);
    await rpc(this.market.rpcUrl, "evm_mine", []);
  }
}

async function rpc(url: string, method: string, params: unknown[]): Promise<void> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = (await response.json()) as { error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
}

/** Runs one step, timing it; an exception becomes a failed check, so later steps still run. */
export async function runStep(market: Market, title: string, body: (step: Step) => Promise<void>): Promise<StepResult> {
  const step = new Step(market);
  const started = performance.now();
  let error: string | undefined;
  try {
    await body(step);
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
    step.check(`the step ran to its end (${error})`, false);
  }
  return { title, lines: step.lines, checks: step.checks, txCount: step.txCount, ms: performance.now() - started, error };
}

export function eth(wei: bigint): string {
  return `${formatEther(wei)} ETH`;
}
