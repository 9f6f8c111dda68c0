/**
 * A hostile path between a buyer and a seller's worker (or a hostile worker): forwards every
 * request to `target` as it came and answers what the worker answered, but with `tamper` applied
 * to the answer's headers first (e.g. an altered copy receipt). Listens on 127.0.0.1, a free port.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface TamperingProxy {
  readonly url: string;
  close(): Promise<void>;
}

export async function tamperingProxy(target: string, tamper: (headers: Record<string, string>, path: string) => void): Promise<TamperingProxy> {
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const forwarded: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) if (typeof value === "string" && name !== "host" && name !== "connection") forwarded[name] = value;
    const upstream = await fetch(`${target}${request.url}`, { method: request.method, headers: forwarded, ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}) });
    const headers: Record<string, string> = {};
    upstream.headers.forEach((value, name) => (headers[name] = value));
    for (const name of ["content-length", "transfer-encoding", "content-encoding", "connection", "keep-alive"]) delete headers[name];
    tamper(headers, request.url ?? "");
    response.writeHead(upstream.status, headers).end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
