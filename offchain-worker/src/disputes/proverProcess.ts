/**
 * Entry of a contest-proving child process (contestProver.ts forks it): receives one contest
 * circuit input, proves it with snarkjs (sdk/src/prover/disputeProof.ts), sends back the proof
 * in the shape `proveMismatch` takes or the failure's message, and exits. A process rather than
 * a worker thread: snarkjs's own thread pool (web-worker) cannot start inside a worker thread.
 */
import { proveDispute } from "@modelbazaar/sdk/prover";
import { messageOf } from "../messageOf.ts";
import type { ProverReply, ProverTask } from "./contestProver.ts";

process.once("message", (task: ProverTask) => {
  void prove(task).then((reply) => process.send!(reply, () => process.disconnect()));
});

async function prove({ input, base }: ProverTask): Promise<ProverReply> {
  try {
    const { calldata } = await proveDispute({ input, wasm: `${base}.wasm`, zkey: `${base}.zkey` });
    return { kind: "proved", calldata };
  } catch (error) {
    return { kind: "failed", message: messageOf(error) };
  }
}
