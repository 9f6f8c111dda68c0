/**
 * An RPC the worker tests control: Hardhat's in-process provider behind a viem transport that
 * records every request (what the worker asks the chain, and when) and that a test can take
 * down and bring back (every request then fails as an unreachable HTTP endpoint does), or hold
 * (every request waits until released).
 */
import { custom, HttpRequestError, type EIP1193Parameters, type Transport } from "viem";

export interface ControlledRpc {
  readonly transport: Transport;
  /** Every request made, in order. */
  readonly calls: EIP1193Parameters[];
  down: boolean;
  /** While set, every request waits for it to settle (the chain is slow to answer, not down). */
  hold: Promise<void> | undefined;
}

export function controlledRpc(provider: { request(args: { method: string; params?: unknown }): Promise<unknown> }): ControlledRpc {
  const rpc: ControlledRpc = {
    calls: [],
    down: false,
    hold: undefined,
    // No retries of its own: the worker's retries are what the tests watch.
    transport: custom(
      {
        request: async (args: EIP1193Parameters) => {
          rpc.calls.push(args);
          if (rpc.hold) await rpc.hold;
          if (rpc.down) throw new HttpRequestError({ url: "http://rpc.test/", details: "the test took the RPC down" });
          return provider.request(args) as never;
        },
      },
      { retryCount: 0 },
    ),
  };
  return rpc;
}
