/**
 * A browser wallet for tests, as real ones are built: the page gets an EIP-1193 provider
 * announced through EIP-6963 (page.addInitScript), and every request it cannot answer itself
 * crosses to Node (page.exposeFunction), where a viem local account signs and sends
 * transactions to the local node and reads are forwarded to it. It starts on chain 1, so the
 * dApp must ask to switch, and keeps the chain it was switched to across reloads of the tab (as
 * a wallet extension does); it can be told to reject the next request as a person would.
 */
import type { BrowserContext, Page } from "playwright-core";
import { createWalletClient, hexToBigInt, http, type Address, type Chain, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

export const TEST_WALLET_NAME = "Test Wallet";

export interface TestWallet {
  readonly address: Address;
  /** Methods the page sent to Node, in order. */
  readonly calls: string[];
  /** Answer the next eth_sendTransaction with EIP-1193's 4001 (user rejected). */
  rejectNextTransaction(): void;
}

/** Runs in the page before its scripts: the provider, its events and the EIP-6963 announcement. */
function pageWallet({ name, rdns, startChainId }: { name: string; rdns: string; startChainId: string }) {
  type Listener = (...args: unknown[]) => void;
  const listeners = new Map<string, Set<Listener>>();
  const emit = (event: string, value: unknown) => listeners.get(event)?.forEach((listener) => listener(value));
  // The tab's session keeps the chain across reloads, as a wallet extension does (about:blank has no storage).
  const session = window.location.protocol.startsWith("http") ? window.sessionStorage : undefined;
  const CHAIN_KEY = "testWallet.chainId";
  let chainId = session?.getItem(CHAIN_KEY) ?? startChainId;
  const bridge = (window as unknown as { __testWallet: (method: string, params: unknown) => Promise<{ result?: unknown; error?: { code: number; message: string } }> }).__testWallet;
  const provider = {
    async request({ method, params }: { method: string; params?: unknown[] }) {
      if (method === "eth_chainId") return chainId;
      if (method === "wallet_switchEthereumChain") {
        chainId = (params![0] as { chainId: string }).chainId;
        session?.setItem(CHAIN_KEY, chainId);
        emit("chainChanged", chainId);
        return null;
      }
      const answer = await bridge(method, params ?? []);
      if (answer.error) throw Object.assign(new Error(answer.error.message), { code: answer.error.code });
      return answer.result;
    },
    on(event: string, listener: Listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener);
    },
    removeListener(event: string, listener: Listener) {
      listeners.get(event)?.delete(listener);
    },
  };
  const icon = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 8 8'%3E%3Crect width='8' height='8' fill='%23888'/%3E%3C/svg%3E";
  const detail = Object.freeze({ info: { uuid: "00000000-0000-4000-8000-000000000001", name, icon, rdns }, provider });
  const announce = () => window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail }));
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
}

export async function injectTestWallet(context: BrowserContext, { privateKey, chain, rpcUrl }: { privateKey: Hex; chain: Chain; rpcUrl: string }): Promise<TestWallet> {
  const account = privateKeyToAccount(privateKey);
  const wallet = createWalletClient({ account, chain, transport: http(rpcUrl) });
  const calls: string[] = [];
  let connected = false;
  let rejectNext = false;
  const forward = async (method: string, params: unknown[]) => {
    const response = await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
    return (await response.json()) as { result?: unknown; error?: { code: number; message: string } };
  };
  const serve = async (method: string, params: unknown[]): Promise<unknown> => {
    switch (method) {
      case "eth_accounts":
        return connected ? [account.address] : [];
      case "eth_requestAccounts":
        connected = true;
        return [account.address];
      case "eth_sendTransaction": {
        if (rejectNext) {
          rejectNext = false;
          throw Object.assign(new Error("User rejected the request."), { code: 4001 });
        }
        const tx = params[0] as { to?: Address; data?: Hex; value?: Hex; gas?: Hex };
        return wallet.sendTransaction({ to: tx.to, data: tx.data, value: tx.value ? hexToBigInt(tx.value) : undefined, gas: tx.gas ? hexToBigInt(tx.gas) : undefined });
      }
      case "personal_sign":
        return account.signMessage({ message: { raw: params[0] as Hex } });
      case "eth_signTypedData_v4":
        return account.signTypedData(JSON.parse(params[1] as string));
      case "wallet_requestPermissions":
      case "wallet_revokePermissions":
        if (method === "wallet_revokePermissions") connected = false;
        throw Object.assign(new Error(`${method} is not supported`), { code: 4200 });
      default: {
        const answer = await forward(method, params);
        if (answer.error) throw Object.assign(new Error(answer.error.message), { code: answer.error.code });
        return answer.result;
      }
    }
  };
  await context.exposeFunction("__testWallet", async (method: string, params: unknown[]) => {
    calls.push(method);
    try {
      return { result: await serve(method, params) };
    } catch (error) {
      const { code = -32603, message = String(error) } = error as { code?: number; message?: string };
      return { error: { code, message } };
    }
  });
  await context.addInitScript(pageWallet, { name: TEST_WALLET_NAME, rdns: "org.modelbazaar.testwallet", startChainId: "0x1" });
  return {
    address: account.address,
    calls,
    rejectNextTransaction: () => {
      rejectNext = true;
    },
  };
}

/** Connects the injected test wallet through the connect dialog and switches it to the local chain. */
export async function connectTestWallet(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Connect wallet" }).click();
  const dialog = page.getByRole("dialog", { name: "Connect a wallet" });
  await dialog.getByRole("button", { name: TEST_WALLET_NAME }).click();
  await dialog.waitFor({ state: "hidden" });
  await page.getByTestId("wrong-network").getByRole("button", { name: "Switch network" }).click();
  await page.getByTestId("wrong-network").waitFor({ state: "hidden" });
}
