/**
 * How a buyer authenticates an upload to a seller's worker: an EIP-712 signature by the
 * test-drive's buyer over `EvaluationUpload(uint256 testId, bytes32 nonce, bytes32 bodySha256)`
 * in the domain {name: "ModelBazaar Worker", version: "1", chainId, verifyingContract: market},
 * so the signature is bound to one test, one single-use nonce, one exact body, one chain and
 * one market. It travels in three headers ({UPLOAD_AUTH_HEADERS}): the nonce, the body's
 * SHA-256 and the signature, so the worker authenticates the buyer before it accepts a byte of
 * the body, then checks the body it received is the one signed.
 *
 * This is the half both sides share (the typed data) plus the buyer's half (`signUpload`); the
 * worker parses and recovers in offchain-worker/src/auth/uploadAuthorization.ts. Browser-safe:
 * the body is digested with WebCrypto's SHA-256 (Node 24 has it too), not keccak256: uploads
 * are hundreds of MB and native SHA-256 is 15-30x faster than the JS keccak implementations.
 */
import { bytesToHex, type Address, type Hex, type LocalAccount } from "viem";

export const UPLOAD_AUTH_HEADERS = {
  nonce: "x-modelbazaar-nonce",
  bodySha256: "x-modelbazaar-body-sha256",
  signature: "x-modelbazaar-signature",
} as const;

export const uploadAuthorizationTypes = {
  EvaluationUpload: [
    { name: "testId", type: "uint256" },
    { name: "nonce", type: "bytes32" },
    { name: "bodySha256", type: "bytes32" },
  ],
} as const;

/** The chain and market an upload's signature is bound to (the worker's `/health` reports both). */
export interface UploadAuthorizationContext {
  readonly chainId: number;
  readonly market: Address;
}

/** The three values an upload carries in its headers. */
export interface UploadAuthorization {
  readonly nonce: Hex;
  /** SHA-256 of the body the buyer signed; the worker refuses a body that does not match. */
  readonly bodySha256: Hex;
  readonly signature: Hex;
}

/** What can sign the upload: a viem local account (or anything with its `signTypedData`). */
export type UploadSigner = Pick<LocalAccount, "signTypedData">;

/** The upload headers, by name. */
export type UploadAuthorizationHeaders = Record<(typeof UPLOAD_AUTH_HEADERS)[keyof typeof UPLOAD_AUTH_HEADERS], Hex>;

/** The EIP-712 domain of every request signed to a worker (uploads and deliveries). */
export function workerAuthDomain(context: UploadAuthorizationContext) {
  return { name: "ModelBazaar Worker", version: "1", chainId: context.chainId, verifyingContract: context.market } as const;
}

export function uploadAuthorizationTypedData(context: UploadAuthorizationContext, testId: bigint, nonce: Hex, bodySha256: Hex) {
  return {
    domain: workerAuthDomain(context),
    types: uploadAuthorizationTypes,
    primaryType: "EvaluationUpload",
    message: { testId, nonce, bodySha256 },
  } as const;
}

/**
 * The buyer's side: signs `body` for `testId` and returns the headers to send with it.
 *
 * @example
 * const headers = await signUpload(account, { chainId, market }, testId, upload);
 * await fetch(`${worker}/tests/${testId}/evaluations`, { method: "POST", headers, body: upload });
 */
export async function signUpload(
  signer: UploadSigner,
  context: UploadAuthorizationContext,
  testId: bigint,
  body: Uint8Array,
  nonce: Hex = randomNonce(),
): Promise<UploadAuthorizationHeaders> {
  const digest = await bodySha256(body);
  const signature = await signer.signTypedData(uploadAuthorizationTypedData(context, testId, nonce, digest));
  return { [UPLOAD_AUTH_HEADERS.nonce]: nonce, [UPLOAD_AUTH_HEADERS.bodySha256]: digest, [UPLOAD_AUTH_HEADERS.signature]: signature };
}

/** SHA-256 of an upload body (WebCrypto: the same in Node and in browsers). */
export async function bodySha256(body: Uint8Array): Promise<Hex> {
  const owned = body.buffer instanceof ArrayBuffer ? (body as Uint8Array<ArrayBuffer>) : new Uint8Array(body);
  return bytesToHex(new Uint8Array(await crypto.subtle.digest("SHA-256", owned)));
}

/** 32 random bytes from the platform's CSPRNG: each (buyer, nonce) is accepted once, ever. */
export function randomNonce(): Hex {
  return bytesToHex(crypto.getRandomValues(new Uint8Array(32)));
}
