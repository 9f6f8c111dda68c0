/** How every page writes amounts and addresses, so a price reads the same on each. */
import { formatEther, type Address } from "viem";
import { etherText } from "@modelbazaar/sdk/labels";

/** An amount in wei as ETH, e.g. 5000000000000000000n -> "5 ETH" (the SDK's etherText, as the CLI prints it). */
export const ether = etherText;

/** An address cut to its ends (the full one belongs in a title attribute). */
export function shortAddress(address: Address): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/** A model's display name: its metadata file's base name (models/iris-logreg.json -> iris-logreg). */
export function modelName(metadataURI: string): string {
  return metadataURI.split("/").pop()?.replace(/\.json$/, "") ?? metadataURI;
}

/** Basis points as a percentage, e.g. 9650 -> "96.50%". */
export function percent(bps: number): string {
  return `${(bps / 100).toFixed(2)}%`;
}

/** An amount in wei as ETH rounded down to `digits` decimals, for tight places, e.g. "9,999.9871 ETH". */
export function etherShort(wei: bigint, digits = 4): string {
  const scale = 10n ** BigInt(18 - digits);
  const rounded = (wei / scale) * scale;
  const [whole = "0", fraction = ""] = formatEther(rounded).split(".");
  const grouped = BigInt(whole).toLocaleString("en-US");
  return `${fraction ? `${grouped}.${fraction}` : grouped} ETH`;
}
