/**
 * The chain's clock in seconds: the latest block's timestamp, advanced by the wall clock since
 * that block arrived, re-anchored at every new block. Deadlines in the contracts compare with
 * block.timestamp, so a countdown driven by this one ends when the chain says so, also on a
 * local chain whose time was moved (evm_increaseTime) or that mines only on demand.
 */
import { useEffect, useState } from "react";
import { useBlock } from "wagmi";

export function useChainTime(): bigint | undefined {
  const { data: block } = useBlock({ watch: true });
  const [anchor, setAnchor] = useState<{ chain: bigint; wall: number }>();
  const [, tick] = useState(0);
  const timestamp = block?.timestamp;
  useEffect(() => {
    if (timestamp !== undefined) setAnchor({ chain: timestamp, wall: Date.now() });
  }, [timestamp]);
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  if (!anchor) return undefined;
  return anchor.chain + BigInt(Math.floor((Date.now() - anchor.wall) / 1000));
}
