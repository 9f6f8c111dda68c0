/**
 * Review finding: WorkerClient.fetchDelivery allocated its whole cap (the delivery file of the
 * listing's on-chain model size, which the seller sets) before the first byte arrived. A
 * listing claiming a huge model made the buyer's tab allocate gigabytes, or fail with a bare
 * RangeError, whatever the worker actually sent. The buffer grows with the bytes received.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { WorkerClient } from "@modelbazaar/sdk/worker";

describe("fetchDelivery under a cap far above what the worker sends", () => {
  it("takes a 1 KiB delivery under a 2^40-byte cap (allocating what arrives, not the cap)", async () => {
    const body = Uint8Array.from({ length: 1024 }, (_, i) => i % 251);
    const server = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/octet-stream" });
      response.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const worker = new WorkerClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      const context = { chainId: 31337, market: "0x0000000000000000000000000000000000000001" as const };
      const bytes = await worker.fetchDelivery(privateKeyToAccount(generatePrivateKey()), context, 1n, { maxBytes: 2 ** 40 });
      assert.deepEqual(bytes, body);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
