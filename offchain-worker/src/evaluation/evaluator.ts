/**
 * The contract between the worker service and an HE engine: what an evaluator module
 * exports, what the service asks of it, and the error it throws for a bad upload.
 *
 * The service never imports an engine directly. It loads the module named in its config
 * (`evaluator.module`) once on the main thread (to describe models and inspect uploads) and
 * once in every evaluation thread (to evaluate), so the real CKKS engine gets one SEAL
 * instance per thread and a test can inject a small stand-in.
 */
import type { HePlan, HePlanSummary } from "@modelbazaar/sdk/he";
import type { EvaluationSpeed } from "@modelbazaar/sdk/worker";

/** A JSON value, for engine-defined data that crosses HTTP and thread boundaries. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };
export type JsonObject = { readonly [key: string]: JsonValue };

/** What a module named by `evaluator.module` must export. */
export interface EvaluatorModule {
  createEvaluator(options: EvaluatorOptions): Evaluator | Promise<Evaluator>;
}

/** Passed to {EvaluatorModule.createEvaluator}, in every thread alike. */
export interface EvaluatorOptions {
  /** The model ids the worker serves (from its config's listings). */
  readonly modelIds: readonly string[];
  /** Engine-specific settings from the config (`evaluator.options`), e.g. model paths. */
  readonly settings: JsonObject;
}

/** What a buyer must know to make keys and ciphertexts for a model (served by GET /listings). */
export interface ModelDescription {
  readonly plan: HePlanSummary;
  /** Encryption parameters the buyer must use (engine-defined, JSON). */
  readonly encryption: JsonObject;
}

/** An upload to inspect before it is accepted: the file holds the whole request body. */
export interface UploadInspection {
  readonly modelId: string;
  readonly uploadPath: string;
  readonly uploadSize: number;
  /** Samples the test paid for: an upload declaring more is refused (`too-many-samples`) before its parts are read. */
  readonly paidSamples: number;
}

/** What an upload declares about itself. */
export interface UploadInfo {
  /** Samples the buyer says it encrypted; the service refuses more than were paid for. */
  readonly declaredSamples: number;
}

/** One evaluation, as a thread receives it. */
export interface EvaluationJob {
  readonly jobId: string;
  readonly testId: bigint;
  readonly listingId: bigint;
  readonly modelId: string;
  /** Samples paid for on-chain: the engine masks every result slot beyond this count. */
  readonly paidSamples: number;
  /** The serialized evaluation keys and ciphertexts, exactly as uploaded. */
  readonly upload: Uint8Array;
}

export interface Evaluator {
  /** Throws for a model id it does not know. Called on the main thread. */
  describe(modelId: string): ModelDescription;
  /**
   * Reads what it needs of an upload (a header, ideally) and throws {UploadValidationError}
   * when it is malformed, made for other parameters or declares more than `paidSamples`.
   * Called on the main thread for every upload, so it must be cheap: every count it reads is
   * checked (against the model, the paid samples and the file's size) before anything is
   * sized by it, so that a few hostile bytes cannot make it loop or allocate.
   */
  inspectUpload(upload: UploadInspection): Promise<UploadInfo>;
  /** Evaluates the model on the upload; returns the serialized encrypted results. */
  evaluate(job: EvaluationJob): Promise<Uint8Array>;
  /**
   * The plan it evaluates for `modelId`, when it can state one. Called on the main thread at
   * start for contestable listings: the worker checks that this plan, quantized, is the one the
   * listing committed to, and proves contests with it (docs/DISPUTES.md §3.1, §6).
   */
  plan?(modelId: string): HePlan;
  /**
   * How fast this machine evaluates one full batch of `modelId`, when the engine can say:
   * published per listing in GET /listings so a buyer knows the wait before paying. Called on
   * the main thread; may take seconds the first time (it measures), then answers from memory.
   */
  speed?(modelId: string): Promise<EvaluationSpeed>;
  /**
   * The bytes of the model file it evaluates for `modelId` (e.g. the ONNX file it compiled),
   * when it can give them. Called on the main thread at start for listings that serve
   * per-buyer copies: the worker computes each copy's root from them and signs it in the
   * CopyReceipt (copies/servedCopies.ts), so the root names exactly what is evaluated.
   */
  modelBytes?(modelId: string): Uint8Array;
  close?(): void | Promise<void>;
}

/**
 * `malformed`: the bytes cannot be parsed (truncated, wrong magic) -> HTTP 400.
 * `incompatible`: parseable but unusable with this model (keys for other parameters, wrong
 * feature count) -> HTTP 422.
 * `too-many-samples`: it declares more samples than the test paid for -> HTTP 422.
 */
export type UploadProblem = "malformed" | "incompatible" | "too-many-samples";

const UPLOAD_PROBLEMS: ReadonlySet<unknown> = new Set<UploadProblem>(["malformed", "incompatible", "too-many-samples"]);

/** Thrown by {Evaluator.inspectUpload} (or `evaluate`) for an upload the engine cannot use. */
export class UploadValidationError extends Error {
  override readonly name = "UploadValidationError";
  readonly problem: UploadProblem;

  constructor(problem: UploadProblem, message: string) {
    super(message);
    this.problem = problem;
  }
}

/** True for an {UploadValidationError}, also one thrown by another copy of this module. */
export function isUploadValidationError(error: unknown): error is UploadValidationError {
  return (
    error instanceof Error &&
    error.name === "UploadValidationError" &&
    UPLOAD_PROBLEMS.has((error as { problem?: unknown }).problem)
  );
}
