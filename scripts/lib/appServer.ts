/**
 * Serves the dApp (app/) with Vite's dev server on the loopback address, with the chain's RPC
 * URL and deployment record injected as `__MODELBAZAAR__` (app/src/marketConfig.ts).
 */
import { join } from "node:path";
import { createServer } from "vite";
import { ROOT } from "../zk/compile.ts";

export interface AppServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function serveApp({ port, rpcUrl, deployment }: { port: number; rpcUrl: string; deployment: object }): Promise<AppServer> {
  const server = await createServer({
    configFile: join(ROOT, "app", "vite.config.ts"),
    logLevel: "warn",
    server: { port },
    define: { __MODELBAZAAR__: JSON.stringify({ rpcUrl, deployment }) },
  });
  await server.listen();
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}
