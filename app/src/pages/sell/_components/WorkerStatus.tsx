/** A listing's worker in a few words: up or down (GET /health), and whether it serves this listing with which HE plan. */
import type { Address } from "viem";
import { firstLine } from "../../../components/States.tsx";
import { useWorkerStatus } from "../../../hooks/useWorkerStatus.ts";

export function WorkerStatus({ listingId, offer }: { listingId: bigint; offer: { readonly workerEndpoint: string; readonly workerSigner: Address } }) {
  const { data, error, isLoading } = useWorkerStatus(listingId, offer);
  if (isLoading) return <span className="text-base-content/70">checking…</span>;
  if (error) return <span className="text-error" data-testid="worker-status">down: {firstLine(error)}</span>;
  if (!data) return null;
  if (data.health.status !== "ok") return <span className="text-error" data-testid="worker-status">unavailable: {data.health.problems.join("; ")}</span>;
  return (
    <span data-testid="worker-status" title={offer.workerEndpoint}>
      <span className="badge badge-success badge-sm">up</span>{" "}
      {data.served ? `serves it: ${data.served.plan.inputSize} inputs, ${data.served.plan.outputSize} scores, depth ${data.served.plan.depth}` : <span>{data.notServed}</span>}
    </span>
  );
}
