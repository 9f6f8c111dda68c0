/**
 * A refund dispute's road (docs/DISPUTES.md §7) as steps, from the chain's phase: claimed, then
 * (if the seller contests) contested and samples opened, then its end — refunded or won by the
 * seller. The current step says what its window waits for and when it ends.
 */
import type { DisputeView } from "@modelbazaar/sdk/actions";
import { Countdown } from "../../../components/Countdown.tsx";

const STEPS = [
  { phase: "Claimed", label: "Refund claimed", waits: "the seller may contest" },
  { phase: "Contested", label: "Contested", waits: "open the drawn samples, or the seller wins" },
  { phase: "Opened", label: "Samples opened", waits: "the seller may prove a mismatch" },
] as const;

export function DisputeSteps({ dispute }: { dispute: DisputeView }) {
  const ended = dispute.phase === "BuyerWon" || dispute.phase === "SellerWon";
  const current = STEPS.findIndex(({ phase }) => phase === dispute.phase);
  const reached = ended ? STEPS.length : current;
  return (
    <ol className="steps steps-vertical sm:steps-horizontal w-full text-sm" aria-label="Refund dispute" data-testid="dispute-steps">
      {STEPS.map((step, index) => (
        <li key={step.phase} className={`step ${index <= reached ? "step-primary" : ""}`} aria-current={index === current ? "step" : undefined}>
          <span className="flex flex-col text-start sm:text-center">
            {step.label}
            {index === current && dispute.deadline !== undefined ? (
              <span className="text-base-content/80">
                {step.waits}: <Countdown deadline={dispute.deadline} endedText="window ended" />
              </span>
            ) : null}
          </span>
        </li>
      ))}
      <li className={`step ${ended ? (dispute.phase === "BuyerWon" ? "step-success" : "step-error") : ""}`} aria-current={ended ? "step" : undefined}>
        {dispute.phase === "SellerWon" ? "Seller won" : dispute.phase === "BuyerWon" ? "Refunded" : "Closed"}
      </li>
    </ol>
  );
}
