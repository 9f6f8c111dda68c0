/**
 * Starts the seller's evaluation worker: opens the store, sweeps what a previous run left
 * behind, connects to the chain (waiting for an RPC that is down, with backoff) and checks the
 * data directory belongs to that chain (refusing to start on another), loads the
 * evaluator (main thread), checks the per-buyer copies the listings name and computes their
 * roots (copies/servedCopies.ts), checks the plans of the contestable listings against their
 * commitments (refusing to start on a mismatch), starts the evaluation threads (or, with a
 * `queue` configured, connects to the evaluation nodes' queue: queue/), resumes what a
 * previous run left unfinished (queued or running jobs, receipts not yet mined, disputes),
 * starts the chain watcher, the dispute agent and the key revealer of held deliveries, and listens for HTTP. `close()` stops in the reverse order; whatever was in flight stays in the
 * store and is resumed by the next start on the same data directory.
 */
import { privateKeyToAccount } from "viem/accounts";
import type { Address } from "viem";
import { ConfigError, DEFAULTS, type WorkerConfig } from "./config.ts";
import { ChainWatcher } from "./chain/chainWatcher.ts";
import { KeyRevealer } from "./chain/keyRevealer.ts";
import { connectMarket, rpcTransport } from "./chain/marketClient.ts";
import { ReceiptRecorder } from "./chain/receiptRecorder.ts";
import { servedCopies, servedModelIds } from "./copies/servedCopies.ts";
import { contestablePlans } from "./disputes/contestablePlans.ts";
import { ContestProver } from "./disputes/contestProver.ts";
import { DisputeAgent } from "./disputes/disputeAgent.ts";
import type { Evaluator } from "./evaluation/evaluator.ts";
import { evaluatorModuleUrl, loadEvaluator } from "./evaluation/loadEvaluator.ts";
import type { ServedListing } from "./http/routeContext.ts";
import { createServer, registerRoutes } from "./http/server.ts";
import { UploadSlots } from "./http/uploadSlots.ts";
import { ChainWaits } from "./http/chainWaits.ts";
import { loggerOptions, redactError, redactor } from "./logging.ts";
import { retryAtStart } from "./chain/retryAtStart.ts";
import { JobRunner } from "./jobs/jobRunner.ts";
import { countRpcErrors } from "./metrics/countRpcErrors.ts";
import { WorkerMetrics } from "./metrics/workerMetrics.ts";
import { startEvaluations } from "./queue/startEvaluations.ts";
import { BlobStore } from "./store/blobStore.ts";
import { openDatabase, probeDatabase } from "./store/database.ts";
import { ChainBinding } from "./store/chainBinding.ts";
import { CopyReceiptStore } from "./store/copyReceiptStore.ts";
import { DeliveryStore } from "./store/deliveryStore.ts";
import { DisputeStore } from "./store/disputeStore.ts";
import { JobStore } from "./store/jobStore.ts";
import { NonceStore } from "./store/nonceStore.ts";
import { ReceiptStore } from "./store/receiptStore.ts";
import { TestStore } from "./store/testStore.ts";

export interface WorkerHandle {
  /** e.g. http://127.0.0.1:8787 */
  readonly url: string;
  /** The worker signer's address. */
  readonly address: Address;
  /** Jobs requeued from a previous run at start. */
  readonly resumedJobs: number;
  close(): Promise<void>;
}

export async function startWorker(config: WorkerConfig): Promise<WorkerHandle> {
  const rawTransport = config.transport ?? (config.rpcUrl ? rpcTransport(config.rpcUrl) : undefined);
  if (!rawTransport) throw new ConfigError("give the worker an rpcUrl (or a transport)");
  const metrics = new WorkerMetrics();
  const transport = countRpcErrors(rawTransport, metrics);
  const pollIntervalMs = config.pollIntervalMs ?? DEFAULTS.pollIntervalMs;
  const startBlock = config.startBlock ?? 0n;
  const signer = privateKeyToAccount(config.signerKey);
  const redact = redactor({
    urls: [config.rpcUrl, config.queue?.redisUrl],
    signerKey: config.signerKey,
    planSalts: config.listings.flatMap((l) => (l.planSalt === undefined ? [] : [l.planSalt])),
  });
  const uploadDeadlineMs = config.uploadDeadlineMs ?? DEFAULTS.uploadDeadlineMs;

  // Each started part pushes its own stop; a failed start and close() unwind them in reverse.
  const stops: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };
  try {
    const db = openDatabase(config.dataDir);
    stops.push(() => db.close());
    const blobs = new BlobStore(config.dataDir);
    const jobs = new JobStore(db, metrics);
    const receipts = new ReceiptStore(db);
    const copyReceipts = new CopyReceiptStore(db);
    const tests = new TestStore(db);
    const app = createServer(loggerOptions(config.logLevel, redact, config.logDestination), {
      corsOrigins: config.corsOrigins ?? [],
      maxConnections: config.maxConnections ?? DEFAULTS.maxConnections,
      requestTimeoutMs: uploadDeadlineMs + REQUEST_TIMEOUT_MARGIN_MS,
      metrics,
    });
    const swept = await blobs.sweep(jobs.liveUploadPaths());
    if (swept > 0) app.log.info({ files: swept }, "removed what a previous run left unfinished (half-received uploads, orphaned uploads, partial results)");
    // The RPC may be down at start: wait for it (bounded). Then the data directory must belong to the chain it serves.
    const binding = new ChainBinding(db, config.dataDir);
    const market = await retryAtStart(
      async () => {
        const connected = await connectMarket({ transport, market: config.market, registry: config.registry, signer, pollIntervalMs, startBlock });
        await binding.bind(connected);
        return connected;
      },
      { timeoutMs: config.chainStartTimeoutMs ?? DEFAULTS.chainStartTimeoutMs, log: app.log },
    );

    const moduleUrl = evaluatorModuleUrl(config.evaluator.module);
    const evaluatorOptions = { modelIds: servedModelIds(config.listings), settings: config.evaluator.settings ?? {} };
    const evaluator = await loadEvaluator(moduleUrl, evaluatorOptions);
    stops.push(() => evaluator.close?.());
    const listings = describeListings(config, evaluator);
    const copies = await servedCopies(config.listings, evaluator, market);
    const plans = await contestablePlans(config.listings, evaluator, market);
    const pool = await startEvaluations(config, moduleUrl, evaluatorOptions, app.log);
    stops.push(() => pool.close());
    metrics.observe({ activeJobs: () => jobs.activeCounts(), queueDepth: () => pool.depth() });

    const retryDelayMs = config.retryDelayMs ?? DEFAULTS.retryDelayMs;
    const recorder = new ReceiptRecorder({ market, receipts, jobs, log: app.log, metrics, pollIntervalMs, retryDelayMs });
    stops.push(() => recorder.close());
    const runner = new JobRunner({ db, jobs, receipts, copyReceipts, copies, blobs, pool, market, recorder, log: app.log, metrics, retryDelayMs });
    stops.push(() => runner.close());
    const resumedJobs = runner.resume();

    const nonces = new NonceStore(db);
    const disputes = new DisputeStore(db);
    const watcher = new ChainWatcher({
      market,
      tests,
      nonces,
      disputes,
      binding,
      listingIds: config.listings.map((l) => l.listingId),
      startBlock,
      pollIntervalMs,
      log: app.log,
    });
    watcher.start();
    stops.push(() => watcher.close());
    const agent = new DisputeAgent({
      market,
      disputes,
      plans,
      prover: new ContestProver(),
      artifactsDir: config.circuitArtifactsDir ?? DEFAULTS.circuitArtifactsDir,
      thresholdBps: config.contestThresholdBps ?? DEFAULTS.contestThresholdBps,
      pollIntervalMs,
      retryDelayMs,
      log: app.log,
    });
    agent.start();
    stops.push(() => agent.close());
    const deliveries = new DeliveryStore(db);
    const revealer = new KeyRevealer({ market, deliveries, nonces, blobs, pollIntervalMs, log: app.log });
    revealer.start();
    stops.push(() => revealer.close());

    registerRoutes(app, {
      market,
      evaluator,
      runner,
      jobs,
      nonces,
      receipts,
      copyReceipts,
      tests,
      disputes,
      blobs,
      deliveries,
      listings,
      copies,
      uploadLimits: {
        maxBytes: config.uploadLimitBytes ?? DEFAULTS.uploadLimitBytes,
        deadlineMs: uploadDeadlineMs,
        minBytesPerSecond: config.uploadMinBytesPerSecond ?? DEFAULTS.uploadMinBytesPerSecond,
        rateGraceMs: config.uploadRateGraceMs ?? DEFAULTS.uploadRateGraceMs,
      },
      uploadSlots: new UploadSlots({
        perSubject: config.uploadsPerTest ?? DEFAULTS.uploadsPerTest,
        perSigner: config.uploadsPerSigner ?? DEFAULTS.uploadsPerSigner,
        total: config.uploadsTotal ?? DEFAULTS.uploadsTotal,
      }),
      probeDatabase: () => probeDatabase(db),
      metrics,
      chainScanned: () => watcher.nextPass(SCAN_WAIT_MS),
      chainWaits: new ChainWaits(
        { perSigner: config.unseenTestWaitsPerSigner ?? DEFAULTS.unseenTestWaitsPerSigner, total: config.unseenTestWaitsTotal ?? DEFAULTS.unseenTestWaitsTotal },
        pollIntervalMs,
      ),
      evaluations: pool,
    });
    const url = await app.listen({ host: config.host ?? DEFAULTS.host, port: config.port ?? DEFAULTS.port });
    stops.push(() => app.close());
    app.log.info({ url, worker: signer.address, resumedJobs, listings: [...listings.keys()], contested: [...plans.keys()], queue: config.queue?.redisUrl }, "worker started");
    return { url, address: signer.address, resumedJobs, close: stopAll };
  } catch (error) {
    await stopAll();
    throw redactError(error, redact);
  }
}

/** How long an upload for a test not seen yet waits for the chain watcher's next pass before a 503. */
const SCAN_WAIT_MS = 30_000;

/** How long past the upload deadline the server's own request timeout strikes, as a backstop. */
const REQUEST_TIMEOUT_MARGIN_MS = 60_000;

function describeListings(config: WorkerConfig, evaluator: Evaluator): Map<string, ServedListing> {
  return new Map(
    config.listings.map((l) => [l.listingId.toString(), { ...l, description: evaluator.describe(l.modelId) }] as const),
  );
}
