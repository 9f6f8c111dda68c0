/**
 * How a buyer authenticates an upload: an EIP-712 signature by the test-drive's buyer over
 * `EvaluationUpload(uint256 testId, bytes32 nonce, bytes32 bodySha256)` in the domain
 * {name: "ModelBazaar Worker", version: "1", chainId, verifyingContract: market}, so the
 * signature is bound to one test, one single-use nonce, one exact body, one chain and one
 * market. It travels in two headers (see {UPLOAD_AUTH_HEADERS}).
 *
 * The body is digested with SHA-256, not keccak256: uploads are hundreds of MB, and here
 * Node's native SHA-256 runs at ~830 MiB/s where the JS keccak256 implementations run at
 * 24-56 MiB/s (seconds of CPU per upload, on both sides). Browsers have SHA-256 natively too.
 *
 * The worker side parses and recovers; {signUpload} is the buyer side (the client and the
 * tests use it).
 */
import { bytesToHex, isHex, recoverTypedDataAddress, type Address, type Hex, type LocalAccount } from "viem";

export const UPLOAD_AUTH_HEADERS = { nonce: "x-modelbazaar-nonce", signature: "x-modelbazaar-signature" } as const;

export const uploadAuthorizationTypes = {
  EvaluationUpload: [
    { name: "testId", type: "uint256" },
    { name: "nonce", type: "bytes32" },
    { name: "bodySha256", type: "bytes32" },
  ],
} as const;

export interface UploadAuthorizationContext {
  readonly chainId: number;
  readonly market: Address;
}

export interface UploadAuthorization {
  readonly nonce: Hex;
  readonly signature: Hex;
}

/** The authentication headers are missing or not well-formed hex of the right length. */
export class MalformedAuthorizationError extends Error {
  override readonly name = "MalformedAuthorizationError";
}

export function uploadAuthorizationTypedData(context: UploadAuthorizationContext, testId: bigint, nonce: Hex, bodySha256: Hex) {
  return {
    domain: { name: "ModelBazaar Worker", version: "1", chainId: context.chainId, verifyingContract: context.market },
    types: uploadAuthorizationTypes,
    primaryType: "EvaluationUpload",
    message: { testId, nonce, bodySha256 },
  } as const;
}

/** Reads the nonce and signature headers; throws {MalformedAuthorizationError} with the reason. */
export function parseUploadAuthorization(headers: Readonly<Record<string, string | string[] | undefined>>): UploadAuthorization {
  const nonce = singleHeader(headers, UPLOAD_AUTH_HEADERS.nonce);
  const signature = singleHeader(headers, UPLOAD_AUTH_HEADERS.signature);
  if (!isHex(nonce, { strict: true }) || nonce.length !== 66) {
    throw new MalformedAuthorizationError(`${UPLOAD_AUTH_HEADERS.nonce} must be 32 bytes of 0x-prefixed hex`);
  }
  if (!isHex(signature, { strict: true }) || (signature.length !== 132 && signature.length !== 130)) {
    throw new MalformedAuthorizationError(
      `${UPLOAD_AUTH_HEADERS.signature} must be a 65-byte (or 64-byte compact) 0x-prefixed hex signature`,
    );
  }
  return { nonce, signature };
}

/** The address that signed this upload for `testId`; throws {MalformedAuthorizationError} for a signature that recovers to no key. */
export async function recoverUploader(
  context: UploadAuthorizationContext,
  testId: bigint,
  bodySha256: Hex,
  authorization: UploadAuthorization,
): Promise<Address> {
  try {
    return await recoverTypedDataAddress({
      ...uploadAuthorizationTypedData(context, testId, authorization.nonce, bodySha256),
      signature: authorization.signature,
    });
  } catch (error) {
    throw new MalformedAuthorizationError(`the signature is not a valid secp256k1 signature: ${(error as Error).message.split("\n")[0]}`);
  }
}

/** The buyer's side: signs `body` for `testId` and returns the headers to send with it. */
export async function signUpload(
  account: LocalAccount,
  context: UploadAuthorizationContext,
  testId: bigint,
  body: Uint8Array,
  nonce: Hex = randomNonce(),
): Promise<Record<(typeof UPLOAD_AUTH_HEADERS)[keyof typeof UPLOAD_AUTH_HEADERS], Hex>> {
  const digest = await bodySha256(body);
  const signature = await account.signTypedData(uploadAuthorizationTypedData(context, testId, nonce, digest));
  return { [UPLOAD_AUTH_HEADERS.nonce]: nonce, [UPLOAD_AUTH_HEADERS.signature]: signature };
}

/** SHA-256 of an upload body (WebCrypto: the same in Node and in browsers). */
export async function bodySha256(body: Uint8Array): Promise<Hex> {
  const owned = body.buffer instanceof ArrayBuffer ? (body as Uint8Array<ArrayBuffer>) : new Uint8Array(body);
  return bytesToHex(new Uint8Array(await crypto.subtle.digest("SHA-256", owned)));
}

export function randomNonce(): Hex {
  return bytesToHex(crypto.getRandomValues(new Uint8Array(32)));
}

function singleHeader(headers: Readonly<Record<string, string | string[] | undefined>>, name: string): string {
  const value = headers[name];
  if (typeof value !== "string" || value.length === 0) throw new MalformedAuthorizationError(`the ${name} header is missing`);
  return value;
}
