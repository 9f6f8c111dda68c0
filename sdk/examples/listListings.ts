/**
 * An integrator's first program (sdk/README.md): every listing of a ModelBazaar deployment with
 * its status and price, read with viem through @modelbazaar/sdk, as the dApp and `bazaar
 * listings` read them. Run against `npm start`'s chain:
 *   node sdk/examples/listListings.ts [rpcUrl] [deployments/31337.json]
 */
import { readFileSync } from "node:fs";
import { createPublicClient, http, type PublicClient } from "viem";
import { etherText, LISTING_STATUSES, parseDeployment, readListings, type Deployment } from "@modelbazaar/sdk";

export async function listingLines(client: PublicClient, deployment: Deployment): Promise<string[]> {
  const entries = await readListings(client, deployment);
  return entries.map(({ listingId, listing }) => `#${listingId} ${LISTING_STATUSES[listing.status]} ${etherText(listing.offer.price)} by ${listing.seller}`);
}

if (import.meta.main) {
  const [rpcUrl = "http://127.0.0.1:8545", record = "deployments/31337.json"] = process.argv.slice(2);
  const deployment = parseDeployment(JSON.parse(readFileSync(record, "utf8")), record);
  for (const line of await listingLines(createPublicClient({ transport: http(rpcUrl) }), deployment)) console.log(line);
}
