/**
 * The Web Worker that proves a dispute off the main thread: it downloads the circuit's
 * artifacts, runs proveDispute (witness and Groth16 proof, snarkjs's own helper workers
 * included) and posts progress, then the proof or an error. Started by proveInWorker.ts.
 */
import { proveDispute } from "../disputeProof.ts";
import { WITNESS_START, type ProvingProgress } from "../provingProgress.ts";
import { fetchArtifact } from "./fetchArtifact.ts";
import type { ProveRequest, ProverMessage } from "./workerProtocol.ts";

/** The part of DedicatedWorkerGlobalScope used here (the project compiles against the DOM lib). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<ProveRequest>) => void) | null;
  postMessage(message: ProverMessage): void;
}
const scope = globalThis as unknown as WorkerScope;

const post = (message: ProverMessage): void => scope.postMessage(message);
const progress = (p: ProvingProgress): void => post({ type: "progress", progress: p });

scope.onmessage = ({ data }) => {
  void prove(data).then(
    (proof) => post({ type: "result", proof }),
    (error: unknown) => post({ type: "error", message: error instanceof Error ? error.message : String(error) }),
  );
};

async function prove({ input, wasmUrl, zkeyUrl }: ProveRequest): Promise<Awaited<ReturnType<typeof proveDispute>>> {
  // The zkey is most of the bytes; the wasm counts as a small first part of the download.
  const wasm = await fetchArtifact(wasmUrl, "wasm");
  const zkey = await fetchArtifact(zkeyUrl, "zkey", (received, total) => {
    if (total) progress({ stage: "download", fraction: (WITNESS_START * received) / total, detail: `proving key ${received}/${total} bytes` });
  });
  return proveDispute({ input, wasm, zkey, onProgress: progress });
}
