/**
 * One sentence for why a transaction did not happen: the person's own "no" in the wallet,
 * too little ETH, the wrong network, or the contract's custom error decoded with the generated
 * ABIs and phrased by the SDK (sdk/src/errors/contractErrors.ts); otherwise viem's short message.
 */
import { ChainMismatchError, InsufficientFundsError, UserRejectedRequestError, type Chain } from "viem";
import { decodeRevert } from "@modelbazaar/sdk/errors";

/** Whether the error or one of its causes passes the test. */
function walks(error: unknown, test: (e: unknown) => boolean): boolean {
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 16; e = (e as { cause?: unknown }).cause, depth++) if (test(e)) return true;
  return false;
}

/** EIP-1193's "user rejected" code, used by wallets that do not throw viem's class. */
const USER_REJECTED = 4001;

export function txErrorSentence(error: unknown, chain?: Chain): string {
  if (walks(error, (e) => e instanceof UserRejectedRequestError || (e as { code?: number } | null)?.code === USER_REJECTED)) return "You rejected the request in your wallet; nothing was sent.";
  if (walks(error, (e) => e instanceof InsufficientFundsError)) return "Your account does not hold enough ETH for this transaction and its gas.";
  if (walks(error, (e) => e instanceof ChainMismatchError)) return `Your wallet is on another network: switch it to ${chain?.name ?? "the dApp's chain"} and try again.`;
  const { name, sentence } = decodeRevert(error);
  const text = sentence.charAt(0).toUpperCase() + sentence.slice(1);
  return name ? `The contract refused: ${text.replace(/\.$/, "")}.` : text.replace(/\.?$/, ".");
}
