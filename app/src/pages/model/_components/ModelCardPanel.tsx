/** The listing's model card (its metadata document, trusted only when it hashes to the listing's metadata hash) and its task. */
import type { ListingCard } from "@modelbazaar/sdk/listings";
import { Facts } from "../../../components/Facts.tsx";
import { Panel } from "../../../components/Panel.tsx";

export interface ModelTask {
  readonly featureCount: number;
  readonly classCount: number;
  readonly scaleBits: number;
  readonly featureBits: number;
}

export function ModelCardPanel({ card, task, modelSize }: { card: ListingCard | undefined; task: ModelTask; modelSize: bigint }) {
  const classes = card?.metadata?.classNames;
  return (
    <Panel id="model-card" title="Model card">
      {card?.metadata?.description ? <p className="text-sm">{card.metadata.description}</p> : null}
      {card?.problem ? (
        <p className="text-sm text-warning-content/90 rounded-box bg-warning/15 p-2" data-testid="card-problem">
          No model card shown: {card.problem}.
        </p>
      ) : null}
      <Facts
        rows={[
          ["features", task.featureCount],
          ["classes", classes ? classes.map((name, i) => `${i} ${name}`).join(", ") : task.classCount],
          ["encoding", `fixed point, 2^${task.scaleBits} scale, ${task.featureBits} bits per feature`],
          ["model file", `${modelSize.toLocaleString("en-US")} bytes`],
        ]}
      />
    </Panel>
  );
}
