/**
 * A CopyReceipt (copyReceipt.ts) as the result's headers carry it: the copy's root (0x-hex, 32
 * bytes), its size (decimal bytes, a uint64) and the worker's signature (0x-hex, 64 or 65
 * bytes). The worker writes them with {copyReceiptHeaders}; the buyer's client reads them with
 * {copyReceiptFromHeaders}, which takes all three or none and refuses anything else.
 */
import { isHex, type Hex } from "viem";
import type { CopyReceipt } from "./copyReceipt.ts";
import { RESULT_HEADERS } from "./resultHeaders.ts";

/** Why the copy headers of a result cannot be read: one sentence naming the header. */
export class CopyHeaderError extends Error {
  override readonly name = "CopyHeaderError";
}

const COPY_HEADERS = [RESULT_HEADERS.copyRoot, RESULT_HEADERS.copySize, RESULT_HEADERS.copySignature] as const;
const MAX_UINT64 = 2n ** 64n - 1n;

/** The three headers of `receipt`, by name. */
export function copyReceiptHeaders(receipt: Omit<CopyReceipt, "testId">): Record<string, string> {
  return {
    [RESULT_HEADERS.copyRoot]: receipt.copyRoot,
    [RESULT_HEADERS.copySize]: receipt.copySize.toString(),
    [RESULT_HEADERS.copySignature]: receipt.signature,
  };
}

/**
 * The CopyReceipt of test `testId` in a result's headers (`header(name)`: the value, or
 * undefined when absent), or undefined when none of the three is present.
 * @throws CopyHeaderError when only some are present, or one is malformed
 */
export function copyReceiptFromHeaders(testId: bigint, header: (name: string) => string | undefined): CopyReceipt | undefined {
  const [root, size, signature] = COPY_HEADERS.map((name) => header(name));
  if (root === undefined && size === undefined && signature === undefined) return undefined;
  const missing = COPY_HEADERS.filter((name) => header(name) === undefined);
  if (missing.length > 0) throw new CopyHeaderError(`the result of test ${testId} carries part of a copy receipt: ${missing.join(", ")} missing`);
  if (!isHex(root, { strict: true }) || root.length !== 66) throw new CopyHeaderError(`the ${RESULT_HEADERS.copyRoot} header of test ${testId} is not 32 bytes of 0x-hex: ${JSON.stringify(root)}`);
  if (!/^(0|[1-9][0-9]{0,19})$/.test(size!) || BigInt(size!) > MAX_UINT64) throw new CopyHeaderError(`the ${RESULT_HEADERS.copySize} header of test ${testId} is not a decimal byte count (uint64): ${JSON.stringify(size)}`);
  if (!isHex(signature, { strict: true }) || (signature.length !== 130 && signature.length !== 132)) {
    throw new CopyHeaderError(`the ${RESULT_HEADERS.copySignature} header of test ${testId} is not a 64- or 65-byte 0x-hex signature: ${JSON.stringify(signature)}`);
  }
  return { testId, copyRoot: root.toLowerCase() as Hex, copySize: BigInt(size!), signature: signature as Hex };
}
