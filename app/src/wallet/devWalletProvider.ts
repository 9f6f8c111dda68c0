/**
 * The dev wallet's EIP-1193 provider: `npm start`'s funded dev accounts (Hardhat's public
 * keys, injected by the server only for the local chain), one selected at a time, signing in
 * this page with viem local accounts (loaded on the first signature) and sending raw
 * transactions to the local node; every other request goes to the node as is. Development
 * only: anyone can read these keys.
 */
import { createWalletClient, hexToBigInt, http, numberToHex, type Address, type Chain, type EIP1193Provider, type Hex } from "viem";

export interface DevAccount {
  readonly address: Address;
  readonly privateKey: Hex;
  /** What `npm start` uses it for, e.g. "seller". */
  readonly role: string;
}

export interface DevWalletProvider extends EIP1193Provider {
  readonly accounts: readonly DevAccount[];
  selected(): DevAccount;
  select(address: Address): void;
}

type Listener = (...args: unknown[]) => void;

interface TransactionParams {
  readonly to?: Address;
  readonly data?: Hex;
  readonly value?: Hex;
  readonly gas?: Hex;
  readonly nonce?: Hex;
}

function rpcError(code: number, message: string): Error & { code: number } {
  return Object.assign(new Error(message), { code });
}

export function createDevWalletProvider({ accounts, chain, rpcUrl }: { accounts: readonly DevAccount[]; chain: Chain; rpcUrl: string }): DevWalletProvider {
  if (accounts.length === 0) throw new Error("the dev wallet needs at least one account");
  const listeners = new Map<string, Set<Listener>>();
  const emit = (event: string, ...args: unknown[]) => listeners.get(event)?.forEach((listener) => listener(...args));
  let current = accounts[0]!;
  let nextId = 1;
  // Like a real wallet, it reveals no account until the person connects, and remembers that.
  const AUTHORIZED = `modelbazaar.devWallet.${chain.id}`;
  const remembered = (() => {
    try {
      return localStorage.getItem(AUTHORIZED);
    } catch {
      return null;
    }
  })();
  let authorized = remembered !== null;
  current = accounts.find((a) => a.address === remembered) ?? current;
  const remember = (value: boolean) => {
    authorized = value;
    try {
      if (value) localStorage.setItem(AUTHORIZED, current.address);
      else localStorage.removeItem(AUTHORIZED);
    } catch {
      // private mode: forgotten on reload
    }
  };

  const node = async (method: string, params: unknown): Promise<unknown> => {
    const response = await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params: params ?? [] }) });
    const body = (await response.json()) as { result?: unknown; error?: { code: number; message: string; data?: unknown } };
    if (body.error) throw Object.assign(rpcError(body.error.code, body.error.message), { data: body.error.data });
    return body.result;
  };
  const signer = async () => {
    const { privateKeyToAccount } = await import("viem/accounts");
    return privateKeyToAccount(current.privateKey);
  };

  const request = async ({ method, params }: { method: string; params?: unknown }): Promise<unknown> => {
    const args = (params ?? []) as unknown[];
    switch (method) {
      case "eth_accounts":
        return authorized ? [current.address] : [];
      case "eth_requestAccounts":
        remember(true);
        return [current.address];
      case "eth_chainId":
        return numberToHex(chain.id);
      case "wallet_requestPermissions":
        remember(true);
        return [{ parentCapability: "eth_accounts", caveats: [{ type: "restrictReturnedAccounts", value: [current.address] }] }];
      case "wallet_getPermissions":
        return authorized ? [{ parentCapability: "eth_accounts", caveats: [{ type: "restrictReturnedAccounts", value: [current.address] }] }] : [];
      case "wallet_revokePermissions":
        remember(false);
        return null;
      case "wallet_switchEthereumChain": {
        const [{ chainId }] = args as [{ chainId: Hex }];
        if (Number(chainId) !== chain.id) throw rpcError(4902, `the dev wallet knows only the local chain (${chain.id})`);
        return null;
      }
      case "eth_sendTransaction": {
        const [tx] = args as [TransactionParams];
        const wallet = createWalletClient({ account: await signer(), chain, transport: http(rpcUrl) });
        return wallet.sendTransaction({
          to: tx.to,
          data: tx.data,
          value: tx.value ? hexToBigInt(tx.value) : undefined,
          gas: tx.gas ? hexToBigInt(tx.gas) : undefined,
          nonce: tx.nonce ? Number(tx.nonce) : undefined,
        });
      }
      case "personal_sign": {
        const [message] = args as [Hex];
        return (await signer()).signMessage({ message: { raw: message } });
      }
      case "eth_signTypedData_v4": {
        const [, typedData] = args as [Address, string];
        return (await signer()).signTypedData(JSON.parse(typedData));
      }
      default:
        return node(method, params);
    }
  };

  return {
    accounts,
    selected: () => current,
    select(address) {
      const account = accounts.find((a) => a.address.toLowerCase() === address.toLowerCase());
      if (!account) throw new Error(`${address} is not a dev account`);
      current = account;
      if (!authorized) return;
      remember(true);
      emit("accountsChanged", [account.address]);
    },
    request: request as EIP1193Provider["request"],
    on(event: string, listener: Listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener);
    },
    removeListener(event: string, listener: Listener) {
      listeners.get(event)?.delete(listener);
    },
  } as DevWalletProvider;
}
