/**
 * Wraps the worker's viem transport so that every chain request that fails (after the
 * transport's own retries) is counted in the metrics, by JSON-RPC method and kind: the RPC
 * could not be reached (HTTP failure, timeout, socket error) or it answered with an error (a
 * JSON-RPC error, a reverted call included). The error itself passes through unchanged.
 */
import { HttpRequestError, SocketClosedError, TimeoutError, WebSocketRequestError, type EIP1193RequestFn, type Transport } from "viem";
import type { WorkerMetrics } from "./workerMetrics.ts";

export function countRpcErrors(transport: Transport, metrics: WorkerMetrics): Transport {
  return (parameters) => {
    const inner = transport(parameters);
    const request: EIP1193RequestFn = async (args, options) => {
      try {
        return await inner.request(args, options);
      } catch (error) {
        metrics.rpcFailed(args.method, unreachable(error) ? "unreachable" : "refused");
        throw error;
      }
    };
    return { ...inner, request };
  };
}

function unreachable(error: unknown): boolean {
  return [HttpRequestError, TimeoutError, SocketClosedError, WebSocketRequestError].some((type) => error instanceof type);
}
