/**
 * How a command reaches a listing's worker as the session's account: the worker's client at
 * the listing's on-chain endpoint, the chain and market its signatures are bound to, and the
 * local account that signs requests (uploads, delivery transfers).
 */
import type { PublicClient } from "viem";
import { listingWorker as sdkListingWorker } from "@modelbazaar/sdk/actions";
import type { UploadAuthorizationContext, UploadSigner, WorkerClient } from "@modelbazaar/sdk/worker";
import { CliError } from "./cliError.ts";
import type { WriteSession } from "./session.ts";

/** The worker named by listing `listingId`'s offer. */
export function listingWorker(session: { publicClient: PublicClient; deployment: WriteSession["deployment"] }, listingId: bigint): Promise<WorkerClient> {
  return sdkListingWorker(session.publicClient, session.deployment, listingId);
}

/** The chain and market a signed worker request is bound to. */
export function workerContext(session: WriteSession): UploadAuthorizationContext {
  return { chainId: session.deployment.chainId, market: session.deployment.market };
}

/** The session's account, which must be local to sign worker requests. */
export function requestSigner(session: WriteSession): UploadSigner {
  const { account } = session;
  if (account.type !== "local") throw new CliError("signing a request to a worker needs a local account (MODELBAZAAR_KEYSTORE or MODELBAZAAR_PRIVATE_KEY)");
  return account;
}
