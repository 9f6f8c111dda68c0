/**
 * The buyer's HTTP client of a seller's evaluation worker (offchain-worker/README.md, "HTTP
 * API"): its health, the listings it serves with their HE plan summaries, the signed upload of an
 * encrypted test set, the job's status, and the encrypted result with its receipt; and a
 * purchase's delivery, handed over by the seller and fetched by the buyer. Uses only
 * `fetch`, so it runs in Node and in browsers. Every failure is a {WorkerClientError} whose
 * message is a sentence a buyer can act on (the worker's own sentence when it answered one).
 */
import { keccak256, type Address, type Hex } from "viem";
import type { HePlanSummary } from "../he/plan.ts";
import { parseEvaluationSpeed, type EvaluationSpeed } from "./evaluationSpeed.ts";
import type { CopyReceipt } from "./copyReceipt.ts";
import { copyReceiptFromHeaders, CopyHeaderError } from "./copyReceiptHeaders.ts";
import { RESULT_HEADERS } from "./resultHeaders.ts";
import { signDeliveryTransfer } from "./deliveryAuthorization.ts";
import { signUpload, type UploadAuthorizationContext, type UploadSigner } from "./uploadAuthorization.ts";

/** A listing as the worker serves it (GET /listings). */
export interface ServedListing {
  readonly listingId: bigint;
  readonly modelId: string;
  readonly plan: HePlanSummary;
  /** How fast the worker evaluates a batch of this model, when it publishes it (well-formed only). */
  readonly evaluation: EvaluationSpeed | undefined;
}

/** What GET /listings answers. */
export interface WorkerListings extends UploadAuthorizationContext {
  /** The worker's signer: the listing's `workerSigner` on-chain. */
  readonly worker: Address;
  readonly listings: readonly ServedListing[];
}

export type JobStatus = "queued" | "running" | "done" | "failed";
export type ReceiptStatus = "pending" | "sent" | "mined" | "failed";

/** What GET /health answers: whether the worker can serve now, and whom it serves (503's body included). */
export interface WorkerHealth {
  readonly status: "ok" | "unavailable";
  readonly chainId: number;
  readonly market: Address;
  readonly worker: Address;
  /** When unavailable: a sentence per part that failed (its database, its chain). */
  readonly problems: readonly string[];
}

/** What GET /tests/:id answers (the job and its receipt; null before an upload). */
export interface WorkerTestStatus {
  readonly job: { readonly id: string; readonly status: JobStatus; readonly error: string | null } | null;
  readonly receipt: { readonly resultHash: Hex; readonly signature: Hex; readonly status: ReceiptStatus; readonly txHash: Hex | null; readonly error: string | null } | null;
  /** The signed CopyReceipt once done, when the test was evaluated with the buyer's own copy (size in decimal); as served, unchecked: the result's is parsed. */
  readonly copy?: { readonly copyRoot: Hex; readonly copySize: string; readonly signature: Hex } | null;
}

/** The encrypted result and the receipt the worker serves with it. */
export interface WorkerResult {
  readonly bytes: Uint8Array;
  /** keccak256 of `bytes`, computed here (the worker's header must agree). */
  readonly resultHash: Hex;
  /** The worker's EIP-712 `EvaluationReceipt` signature, for `recordSignedReceipt`. */
  readonly receiptSignature: Hex;
  readonly receiptStatus: ReceiptStatus;
  readonly receiptTx?: Hex;
  /**
   * The worker's signed CopyReceipt when it evaluated this test with the buyer's own
   * fingerprinted copy of the model (docs/PROTOCOL.md §7.2): well-formed, its signature not
   * yet checked (verifyCopyReceipt, against the listing's worker signer).
   */
  readonly copy?: CopyReceipt;
}

/** Why a worker call failed: `code` is the worker's error code, or "unreachable" / "bad_response". */
export class WorkerClientError extends Error {
  override readonly name = "WorkerClientError";
  readonly code: string;
  readonly status?: number;

  constructor(message: string, code: string, status?: number) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

/** The most a delivery's buffer starts with; it doubles as bytes arrive. */
const FIRST_BUFFER_BYTES = 16 * 1024 * 1024;

/** How much of a delivery the buyer takes, and who hears its progress. */
export interface FetchDeliveryOptions {
  /** The most bytes taken: the delivery file size of the listing's on-chain model size (deliveryFileSize). */
  readonly maxBytes: number;
  /** Why that is the most, for the error (e.g. "its listing's model is 712 bytes on-chain"). */
  readonly tooLarge?: string;
  /** Hears the bytes as they arrive (`total` when the worker announced it). */
  readonly onProgress?: (received: number, total: number | undefined) => void;
}

export interface WaitOptions {
  /** Give up after this long (default 10 minutes). */
  readonly timeoutMs?: number;
  /** Poll interval (default 500 ms). */
  readonly intervalMs?: number;
  /** Hears every status polled (e.g. for a progress line). */
  readonly onStatus?: (status: WorkerTestStatus, elapsedMs: number) => void;
}

export class WorkerClient {
  readonly url: string;

  /** `url`: the listing's `workerEndpoint`, e.g. "http://127.0.0.1:8787". */
  constructor(url: string) {
    this.url = url.replace(/\/+$/, "");
  }

  /** The listings this worker serves, with the chain and market its signatures are bound to. */
  async listings(): Promise<WorkerListings> {
    const json = (await this.json("/listings")) as {
      chainId: number;
      market: Address;
      worker: Address;
      listings: { listingId: string; modelId: string; plan: HePlanSummary; evaluation?: unknown }[];
    };
    return {
      ...json,
      listings: json.listings.map((l) => ({ listingId: BigInt(l.listingId), modelId: l.modelId, plan: l.plan, evaluation: parseEvaluationSpeed(l.evaluation) })),
    };
  }

  /** Whether the worker can serve now (GET /health; a 503 is an answer, "unavailable", not a failure). */
  async health(): Promise<WorkerHealth> {
    const response = await this.fetch("/health");
    if (response.status !== 200 && response.status !== 503) throw await this.refusal(response, "GET /health");
    const body = (await response.json().catch(() => undefined)) as { status?: string; chainId?: number; market?: Address; worker?: Address; database?: string; chain?: string } | undefined;
    if (!body || (body.status !== "ok" && body.status !== "unavailable") || typeof body.chainId !== "number" || !body.market || !body.worker) {
      throw new WorkerClientError(`the worker at ${this.url} answered GET /health with something other than its health`, "bad_response", response.status);
    }
    const problems = body.status === "ok" ? [] : [body.database, body.chain].filter((part): part is string => typeof part === "string" && part !== "ok");
    return { status: body.status, chainId: body.chainId, market: body.market, worker: body.worker, problems };
  }

  /** The listing's entry; throws when this worker does not serve it. */
  async listing(listingId: bigint): Promise<WorkerListings & { readonly served: ServedListing }> {
    const all = await this.listings();
    const served = all.listings.find((l) => l.listingId === listingId);
    if (!served) throw new WorkerClientError(`the worker at ${this.url} does not serve listing ${listingId}`, "listing_not_served");
    return { ...all, served };
  }

  /**
   * Signs `body` as the test's buyer and uploads it; resolves with the job id once accepted
   * (202). `onProgress` hears the bytes sent, in browsers (XMLHttpRequest reports them; fetch
   * cannot without streaming uploads, which need HTTP/2); elsewhere it hears the end only.
   */
  async upload(
    signer: UploadSigner,
    context: UploadAuthorizationContext,
    testId: bigint,
    body: Uint8Array,
    onProgress?: (sent: number, total: number) => void,
  ): Promise<{ jobId: string }> {
    const headers = { ...(await signUpload(signer, context, testId, body)), "content-type": "application/octet-stream" };
    const path = `/tests/${testId}/evaluations`;
    const response =
      onProgress && typeof XMLHttpRequest !== "undefined"
        ? await this.postWithProgress(path, headers, body, onProgress)
        : await this.fetch(path, { method: "POST", headers, body: body as Uint8Array<ArrayBuffer> });
    if (response.status !== 202) throw await this.refusal(response, `upload of test ${testId}`);
    onProgress?.(body.length, body.length);
    return (await response.json()) as { jobId: string };
  }

  /** A POST through XMLHttpRequest, which reports upload progress; answers a Response as fetch would. */
  private postWithProgress(path: string, headers: Record<string, string>, body: Uint8Array, onProgress: (sent: number, total: number) => void): Promise<Response> {
    return new Promise((resolve, reject) => {
      const request = new XMLHttpRequest();
      request.open("POST", `${this.url}${path}`);
      for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value);
      request.responseType = "arraybuffer";
      request.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : body.length);
      request.onload = () => resolve(new Response(request.status === 204 ? null : request.response, { status: request.status, headers: { "content-type": request.getResponseHeader("content-type") ?? "" } }));
      request.onerror = () => reject(new WorkerClientError(`the worker at ${this.url} does not answer (is it running?)`, "unreachable"));
      request.send(body as Uint8Array<ArrayBuffer>);
    });
  }

  /** The worker's job and receipt for a test. */
  async status(testId: bigint): Promise<WorkerTestStatus> {
    return (await this.json(`/tests/${testId}`)) as WorkerTestStatus;
  }

  /** Polls until the job is done and its receipt signed; throws when it failed or timed out. */
  async waitForResult(testId: bigint, options: WaitOptions = {}): Promise<WorkerTestStatus> {
    const { timeoutMs = 600_000, intervalMs = 500, onStatus } = options;
    const start = Date.now();
    for (;;) {
      const status = await this.status(testId);
      onStatus?.(status, Date.now() - start);
      if (status.job?.status === "failed") {
        throw new WorkerClientError(`the worker's evaluation of test ${testId} failed: ${status.job.error ?? "no reason given"}`, "job_failed");
      }
      if (status.job?.status === "done" && status.receipt) return status;
      if (Date.now() - start > timeoutMs) {
        throw new WorkerClientError(`the worker has not finished test ${testId} after ${Math.round(timeoutMs / 1000)} s (job ${status.job?.status ?? "missing"})`, "timeout");
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }

  /** The encrypted result; throws when the worker's result hash does not match the bytes. */
  async result(testId: bigint): Promise<WorkerResult> {
    const response = await this.fetch(`/tests/${testId}/result`);
    if (response.status !== 200) throw await this.refusal(response, `the result of test ${testId}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const resultHash = keccak256(bytes);
    const header = (name: string): string | undefined => response.headers.get(name) ?? undefined;
    const claimed = header(RESULT_HEADERS.resultHash);
    if (claimed?.toLowerCase() !== resultHash) {
      throw new WorkerClientError(`the worker's result for test ${testId} does not hash to the result hash it announced (${claimed ?? "none"})`, "bad_response");
    }
    let copy: CopyReceipt | undefined;
    try {
      copy = copyReceiptFromHeaders(testId, header);
    } catch (error) {
      if (error instanceof CopyHeaderError) throw new WorkerClientError(`the worker at ${this.url} sent a malformed copy receipt: ${error.message}`, "bad_response", response.status);
      throw error;
    }
    return {
      bytes,
      resultHash,
      receiptSignature: header(RESULT_HEADERS.receiptSignature) as Hex,
      receiptStatus: header(RESULT_HEADERS.receiptStatus) as ReceiptStatus,
      receiptTx: header(RESULT_HEADERS.receiptTx) as Hex | undefined,
      ...(copy ? { copy } : {}),
    };
  }

  /** The seller hands its worker a purchase's delivery package (deliveryPackage.ts), signed as the seller; the worker reveals the key when the buyer accepts. */
  async handOverDelivery(signer: UploadSigner, context: UploadAuthorizationContext, purchaseId: bigint, deliveryPackage: Uint8Array): Promise<void> {
    const headers = await signDeliveryTransfer(signer, context, purchaseId, deliveryPackage);
    const response = await this.fetch(`/purchases/${purchaseId}/delivery`, {
      method: "PUT",
      headers: { ...headers, "content-type": "application/octet-stream" },
      body: deliveryPackage as Uint8Array<ArrayBuffer>,
    });
    if (response.status !== 201) throw await this.refusal(response, `the delivery of purchase ${purchaseId}`);
  }

  /**
   * The buyer fetches its purchase's encrypted delivery file, signing the request; `onProgress`
   * hears the bytes as they arrive. Takes at most `maxBytes` (the delivery file of the listing's
   * on-chain model size): a worker that announces or sends more is cut off with a
   * {WorkerClientError} "too_large", so a hostile worker cannot fill the buyer's memory.
   */
  async fetchDelivery(
    signer: UploadSigner,
    context: UploadAuthorizationContext,
    purchaseId: bigint,
    { maxBytes, tooLarge, onProgress }: FetchDeliveryOptions,
  ): Promise<Uint8Array> {
    const headers = await signDeliveryTransfer(signer, context, purchaseId, new Uint8Array(0));
    const response = await this.fetch(`/purchases/${purchaseId}/delivery`, { headers });
    if (response.status !== 200 || !response.body) throw await this.refusal(response, `the delivery of purchase ${purchaseId}`);
    const refused = () => new WorkerClientError(`the worker at ${this.url} sends more than the ${maxBytes} bytes the delivery of purchase ${purchaseId} can hold${tooLarge ? ` (${tooLarge})` : ""}: the rest was refused`, "too_large", response.status);
    const length = Number(response.headers.get("content-length"));
    const total = Number.isSafeInteger(length) && length > 0 ? length : undefined;
    const reader = response.body.getReader();
    if (total !== undefined && total > maxBytes) {
      await reader.cancel();
      throw refused();
    }
    // Grown with what arrives, never the cap (the seller sets the on-chain model size) nor an announced length up front.
    let bytes = new Uint8Array(Math.min(total ?? 0, FIRST_BUFFER_BYTES));
    let received = 0;
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      if (received + read.value.length > maxBytes) {
        await reader.cancel();
        throw refused();
      }
      if (received + read.value.length > bytes.length) {
        const grown = new Uint8Array(Math.min(maxBytes, Math.max(2 * bytes.length, received + read.value.length)));
        grown.set(bytes.subarray(0, received));
        bytes = grown;
      }
      bytes.set(read.value, received);
      received += read.value.length;
      onProgress?.(received, total);
    }
    return bytes.subarray(0, received);
  }

  private async json(path: string): Promise<unknown> {
    const response = await this.fetch(path);
    if (!response.ok) throw await this.refusal(response, `GET ${path}`);
    try {
      return await response.json();
    } catch {
      throw new WorkerClientError(`the worker at ${this.url} answered GET ${path} with something other than JSON`, "bad_response", response.status);
    }
  }

  private async fetch(path: string, init?: RequestInit): Promise<Response> {
    try {
      return await fetch(`${this.url}${path}`, init);
    } catch {
      throw new WorkerClientError(`the worker at ${this.url} does not answer (is it running?)`, "unreachable");
    }
  }

  private async refusal(response: Response, what: string): Promise<WorkerClientError> {
    const body = (await response.json().catch(() => ({}))) as { error?: string; message?: string };
    const sentence = body.message ?? `${what} failed with HTTP ${response.status}`;
    return new WorkerClientError(`the worker refused ${what}: ${sentence}`, body.error ?? "bad_response", response.status);
  }
}
