/**
 * How every surface writes an amount for people: ETH with its unit, exact to the wei
 * (1500000000000000000n -> "1.5 ETH"). Wei appear only where machines read (`--json`, ABI values).
 * And back: what a person types as an amount of ETH, read as wei.
 */
import { formatEther, parseEther } from "viem";

export const etherText = (wei: bigint): string => `${formatEther(wei)} ETH`;

/** An amount typed in ETH ("0.5", "2", ".25"; at most 18 decimals) in wei, or undefined when it is not one. */
export function etherFromText(text: string): bigint | undefined {
  const trimmed = text.trim();
  return /^(\d+(\.\d{1,18})?|\.\d{1,18})$/.test(trimmed) ? parseEther(trimmed) : undefined;
}

/** The sentence a client shows for text that `etherFromText` refuses; `what` names the field. */
export const notEtherSentence = (what: string, text: string): string => `${what} must be an amount of ETH such as 0.5, not "${text}"`;
