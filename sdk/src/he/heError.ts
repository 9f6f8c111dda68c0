/**
 * The one error class of the CKKS layer (buyer client and seller engine alike), with a
 * machine-readable `code` and a sentence a user understands, and the translation of SEAL's
 * thrown `WebAssembly.Exception` (whose `message` is a `[type, msg]` array) into it.
 */

export type HeErrorCode =
  /** The wire container is not ours, or not this version. */
  | "bad-magic"
  | "bad-version"
  /** The container ends early, or a length field points past its end. */
  | "truncated"
  /** The container is well formed but its counts disagree with the plan or with itself. */
  | "count-mismatch"
  /** The upload declares more samples than the receiver takes (the test's paid count). */
  | "too-many-samples"
  /** Keys or ciphertexts were made for other encryption parameters. */
  | "parameters-mismatch"
  /** The plan multiplies ciphertexts but the upload carries no relinearization keys. */
  | "missing-keys"
  /** SEAL refused to load a serialized object (corrupt bytes). */
  | "malformed-object"
  /** The plan cannot be evaluated (e.g. too deep for the parameters, a row of zeros). */
  | "unsupported-plan"
  /** No parameter set at 128-bit security fits the plan. */
  | "no-parameters"
  /** A caller passed an invalid argument (sample shape, options). */
  | "invalid-argument"
  /** The seller's engine could not keep its values (the spill file's disk is full): the worker's fault, not the upload's. */
  | "storage"
  /** SEAL threw for a reason not covered above. */
  | "seal";

export class HeError extends Error {
  override readonly name = "HeError";
  readonly code: HeErrorCode;

  constructor(code: HeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** True for an {HeError}, also one thrown by another copy of this module (another thread). */
export function isHeError(error: unknown): error is HeError {
  return error instanceof Error && error.name === "HeError" && typeof (error as { code?: unknown }).code === "string";
}

/** SEAL's `[type, msg]` pair from a thrown WebAssembly.Exception, or undefined for anything else. */
export function sealExceptionMessage(error: unknown): { type: string; message: string } | undefined {
  // WebAssembly.Exception is missing from TypeScript's lib typings; test for it by shape.
  const exception = (globalThis as { WebAssembly?: { Exception?: abstract new (...args: never[]) => object } }).WebAssembly?.Exception;
  if (!exception || !(error instanceof exception)) return undefined;
  const raw: unknown = (error as { message?: unknown }).message;
  if (Array.isArray(raw)) return { type: String(raw[0]), message: String(raw[1] ?? "") };
  return { type: "unknown", message: String(raw) };
}

/** Turns whatever SEAL threw into an {HeError} saying what was being done; HeErrors pass through. */
export function toHeError(error: unknown, doing: string, code: HeErrorCode = "seal"): HeError {
  if (isHeError(error)) return error;
  const seal = sealExceptionMessage(error);
  const detail = seal ? `${seal.type}: ${seal.message}` : error instanceof Error ? error.message : String(error);
  return new HeError(code, `SEAL failed while ${doing} (${detail}).`, { cause: error });
}

/** Runs `fn`, translating a SEAL exception into an {HeError} about `doing`. */
export function sealCall<T>(doing: string, fn: () => T, code: HeErrorCode = "seal"): T {
  try {
    return fn();
  } catch (error) {
    throw toHeError(error, doing, code);
  }
}
