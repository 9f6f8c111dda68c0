/**
 * Serves the dApp (app/) with Vite's dev server on the loopback address, with the chain's RPC
 * URL and deployment record injected as `__MODELBAZAAR__` (app/src/marketConfig.ts), and the
 * dispute circuits' verification keys as `__MODELBAZAAR_VERIFICATION_KEYS__`
 * (app/src/verificationKeys.ts, imported dynamically, so the keys stay out of the entry chunk):
 * the audit page re-verifies refunds in the browser against the same checked-in keys
 * `bazaar audit` trusts. On the local chain it also
 * injects the funded dev accounts for the dApp's dev wallet (public keys of a test chain, never
 * anything else), the recommendation aggregator's URL when there is one, and
 * MODELBAZAAR_WALLETCONNECT_PROJECT_ID turns on WalletConnect.
 */
import { join } from "node:path";
import { createServer } from "vite";
import { ROOT } from "../zk/compile.ts";
import { loadDisputeCircuitKeys } from "./disputeCircuitKeys.ts";

export interface AppServer {
  readonly url: string;
  close(): Promise<void>;
}

export interface DevAccount {
  readonly address: string;
  readonly privateKey: string;
  /** What npm start uses it for, e.g. "seller". */
  readonly role: string;
}

export interface AppMarket {
  readonly rpcUrl: string;
  readonly deployment: { chainId: number };
  readonly devAccounts?: readonly DevAccount[];
  /** The recommendation aggregator a buyer's browser may send noised rounds to (absent: nothing to take part in; the ranking never needs it). */
  readonly aggregatorUrl?: string;
}

/** The `define`s that inject `__MODELBAZAAR__` and the verification keys, for the dev server and for a production build (appBuild.ts) alike. */
export function appDefine({ rpcUrl, deployment, devAccounts, aggregatorUrl }: AppMarket): Record<string, string> {
  if (devAccounts && deployment.chainId !== 31337) throw new Error(`dev accounts are for the local chain (31337) only, not chain ${deployment.chainId}`);
  const walletConnectProjectId = process.env.MODELBAZAAR_WALLETCONNECT_PROJECT_ID || undefined;
  // JSON leaves a missing key's `vkey: undefined` out, which is how DisputeCircuitKeys says "absent".
  const verificationKeys = loadDisputeCircuitKeys();
  return {
    __MODELBAZAAR__: JSON.stringify({ rpcUrl, deployment, devAccounts, walletConnectProjectId, aggregatorUrl }),
    __MODELBAZAAR_VERIFICATION_KEYS__: JSON.stringify(verificationKeys),
  };
}

export async function serveApp({ port, ...market }: AppMarket & { port: number }): Promise<AppServer> {
  const server = await createServer({
    configFile: join(ROOT, "app", "vite.config.ts"),
    logLevel: "warn",
    server: { port },
    define: appDefine(market),
  });
  await server.listen();
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}
