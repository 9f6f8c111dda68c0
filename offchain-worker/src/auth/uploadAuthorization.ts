/**
 * The worker's half of an upload's (and a delivery transfer's) authentication: reads the nonce, body digest and signature
 * headers and recovers the signer of the EIP-712 `EvaluationUpload`, before the body is read
 * (the route then checks the body against the signed digest; the typed data, the headers and the
 * buyer's `signUpload` live in sdk/src/worker/uploadAuthorization.ts, which the buyer's
 * clients share).
 */
import { isHex, recoverTypedDataAddress, type Address, type Hex } from "viem";
import {
  UPLOAD_AUTH_HEADERS,
  uploadAuthorizationTypedData,
  type UploadAuthorization,
  type UploadAuthorizationContext,
  deliveryTransferTypedData,
} from "@modelbazaar/sdk/worker";

/** The authentication headers are missing or not well-formed hex of the right length. */
export class MalformedAuthorizationError extends Error {
  override readonly name = "MalformedAuthorizationError";
}

/** Reads the authentication headers; throws {MalformedAuthorizationError} with the reason. */
export function parseUploadAuthorization(headers: Readonly<Record<string, string | string[] | undefined>>): UploadAuthorization {
  const nonce = singleHeader(headers, UPLOAD_AUTH_HEADERS.nonce);
  const bodySha256 = singleHeader(headers, UPLOAD_AUTH_HEADERS.bodySha256);
  const signature = singleHeader(headers, UPLOAD_AUTH_HEADERS.signature);
  for (const [name, value] of [[UPLOAD_AUTH_HEADERS.nonce, nonce], [UPLOAD_AUTH_HEADERS.bodySha256, bodySha256]] as const) {
    if (!isHex(value, { strict: true }) || value.length !== 66) throw new MalformedAuthorizationError(`${name} must be 32 bytes of 0x-prefixed hex`);
  }
  if (!isHex(signature, { strict: true }) || (signature.length !== 132 && signature.length !== 130)) {
    throw new MalformedAuthorizationError(
      `${UPLOAD_AUTH_HEADERS.signature} must be a 65-byte (or 64-byte compact) 0x-prefixed hex signature`,
    );
  }
  return { nonce: nonce as Hex, bodySha256: (bodySha256 as Hex).toLowerCase() as Hex, signature };
}

/** The address that signed this upload for `testId`; throws {MalformedAuthorizationError} for a signature that recovers to no key. */
export function recoverUploader(context: UploadAuthorizationContext, testId: bigint, authorization: UploadAuthorization): Promise<Address> {
  return recoverSigner(uploadAuthorizationTypedData(context, testId, authorization.nonce, authorization.bodySha256), authorization.signature);
}

/** The address that signed this delivery transfer for `purchaseId` (sdk/src/worker/deliveryAuthorization.ts). */
export function recoverDeliverySigner(context: UploadAuthorizationContext, purchaseId: bigint, authorization: UploadAuthorization): Promise<Address> {
  return recoverSigner(deliveryTransferTypedData(context, purchaseId, authorization.nonce, authorization.bodySha256), authorization.signature);
}

async function recoverSigner(typedData: Omit<Parameters<typeof recoverTypedDataAddress>[0], "signature">, signature: Hex): Promise<Address> {
  try {
    return await recoverTypedDataAddress({ ...typedData, signature } as Parameters<typeof recoverTypedDataAddress>[0]);
  } catch (error) {
    throw new MalformedAuthorizationError(`the signature is not a valid secp256k1 signature: ${(error as Error).message.split("\n")[0]}`);
  }
}

function singleHeader(headers: Readonly<Record<string, string | string[] | undefined>>, name: string): string {
  const value = headers[name];
  if (typeof value !== "string" || value.length === 0) throw new MalformedAuthorizationError(`the ${name} header is missing`);
  return value;
}
