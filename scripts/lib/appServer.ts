/**
 * Serves the dApp (app/) with Vite's dev server on the loopback address, with the chain's RPC
 * URL, deployment record and the dispute circuits' verification keys injected as
 * `__MODELBAZAAR__` (app/src/marketConfig.ts): the audit page re-verifies refunds in the
 * browser against the same checked-in keys `bazaar audit` trusts. On the local chain it also
 * injects the funded dev accounts for the dApp's dev wallet (public keys of a test chain, never
 * anything else), and MODELBAZAAR_WALLETCONNECT_PROJECT_ID turns on WalletConnect.
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

export async function serveApp({ port, rpcUrl, deployment, devAccounts }: { port: number; rpcUrl: string; deployment: { chainId: number }; devAccounts?: readonly DevAccount[] }): Promise<AppServer> {
  if (devAccounts && deployment.chainId !== 31337) throw new Error(`dev accounts are for the local chain (31337) only, not chain ${deployment.chainId}`);
  const walletConnectProjectId = process.env.MODELBAZAAR_WALLETCONNECT_PROJECT_ID || undefined;
  // JSON leaves a missing key's `vkey: undefined` out, which is how DisputeCircuitKeys says "absent".
  const verificationKeys = loadDisputeCircuitKeys();
  const server = await createServer({
    configFile: join(ROOT, "app", "vite.config.ts"),
    logLevel: "warn",
    server: { port },
    define: { __MODELBAZAAR__: JSON.stringify({ rpcUrl, deployment, verificationKeys, devAccounts, walletConnectProjectId }) },
  });
  await server.listen();
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}
