/**
 * Serves the dApp (app/) with Vite's dev server on the loopback address, with the chain's RPC
 * URL, deployment record and the dispute circuits' verification keys injected as
 * `__MODELBAZAAR__` (app/src/marketConfig.ts): the audit page re-verifies refunds in the
 * browser against the same checked-in keys `bazaar audit` trusts.
 */
import { join } from "node:path";
import { createServer } from "vite";
import { ROOT } from "../zk/compile.ts";
import { loadDisputeCircuitKeys } from "./disputeCircuitKeys.ts";

export interface AppServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function serveApp({ port, rpcUrl, deployment }: { port: number; rpcUrl: string; deployment: object }): Promise<AppServer> {
  // JSON leaves a missing key's `vkey: undefined` out, which is how DisputeCircuitKeys says "absent".
  const verificationKeys = loadDisputeCircuitKeys();
  const server = await createServer({
    configFile: join(ROOT, "app", "vite.config.ts"),
    logLevel: "warn",
    server: { port },
    define: { __MODELBAZAAR__: JSON.stringify({ rpcUrl, deployment, verificationKeys }) },
  });
  await server.listen();
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}
