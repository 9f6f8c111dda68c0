/**
 * How every surface writes an amount for people: ETH with its unit, exact to the wei
 * (1500000000000000000n -> "1.5 ETH"). Wei appear only where machines read (`--json`, ABI values).
 */
import { formatEther } from "viem";

export const etherText = (wei: bigint): string => `${formatEther(wei)} ETH`;
