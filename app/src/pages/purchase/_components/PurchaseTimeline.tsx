/**
 * A purchase's stages as the market runs them (FairExchange.sol), each done, current or to come,
 * with the countdown of the current stage's deadline: paid into escrow, the delivery committed,
 * accepted, the key revealed, the complaint window, and how it ended.
 */
import type { ReactNode } from "react";
import type { PurchaseView } from "@modelbazaar/sdk/actions";
import { Countdown } from "../../../components/Countdown.tsx";
import { ether } from "../../../format.ts";

type StepState = "done" | "current" | "todo" | "skipped";

interface Step {
  readonly title: string;
  readonly state: StepState;
  readonly detail?: ReactNode;
}

const MARK: Record<StepState, string> = { done: "✓", current: "●", todo: "○", skipped: "–" };
const MARK_STYLE: Record<StepState, string> = { done: "bg-success text-success-content", current: "bg-primary text-primary-content", todo: "bg-base-300", skipped: "bg-base-200" };
const STATE_WORDS: Record<StepState, string> = { done: "done", current: "now", todo: "to come", skipped: "skipped" };

function steps(view: PurchaseView): Step[] {
  const { status, deadlines, purchase } = view;
  const ended = status === "Completed" || status === "Refunded";
  const committed = view.ciphertextRoot !== undefined;
  const revealed = view.key !== undefined;
  const accepted = purchase.accepted || revealed;
  const at = (state: StepState, deadline: bigint | undefined, words: string) =>
    state === "current" && deadline !== undefined ? (
      <>
        {words} <Countdown deadline={deadline} />
      </>
    ) : undefined;
  const stage = (done: boolean, now: boolean): StepState => (done ? "done" : ended ? "skipped" : now ? "current" : "todo");
  const delivery = stage(committed, status === "AwaitingDelivery" || status === "DeliveryOverdue");
  const acceptance = stage(accepted, status === "AwaitingAcceptance");
  const key = stage(revealed, status === "AwaitingKey" || status === "KeyOverdue");
  const complaint = stage(revealed && (ended || status === "Completable"), status === "ComplaintWindow");
  return [
    { title: `Paid into escrow: ${ether(view.escrow)}`, state: "done", detail: view.depositApplied > 0n ? `${ether(view.depositApplied)} of it from test-drive #${purchase.testId}` : undefined },
    { title: "The seller commits the encrypted delivery", state: delivery, detail: at(delivery, deadlines.delivery, status === "DeliveryOverdue" ? "overdue:" : "due:") },
    { title: "You check the ciphertext and accept it", state: acceptance, detail: at(acceptance, deadlines.acceptance, "accept or reject:") },
    { title: "The seller's worker reveals the key", state: key, detail: at(key, deadlines.key, status === "KeyOverdue" ? "overdue:" : "due:") },
    { title: "Complaint window: decrypt, verify, complain or pay", state: complaint, detail: at(complaint, deadlines.complaint, "complaints close:") },
    {
      title: status === "Refunded" ? "Refunded" : status === "Completed" ? `Completed: the seller is paid ${ether(purchase.price)}` : "Completed",
      state: ended ? "done" : status === "Completable" || status === "DeliveryOverdue" || status === "KeyOverdue" ? "current" : "todo",
    },
  ];
}

export function PurchaseTimeline({ view }: { view: PurchaseView }) {
  return (
    <ol className="flex flex-col gap-3" data-testid="purchase-timeline">
      {steps(view).map((step) => (
        <li key={step.title} className="flex items-start gap-3" data-state={step.state}>
          <span className={`grid size-6 shrink-0 place-items-center rounded-full text-xs ${MARK_STYLE[step.state]}`} aria-hidden="true">
            {MARK[step.state]}
          </span>
          <div className="min-w-0 text-sm">
            <p className={step.state === "current" ? "font-semibold" : step.state === "todo" || step.state === "skipped" ? "text-base-content/70" : undefined}>
              {step.title} <span className="sr-only">({STATE_WORDS[step.state]})</span>
            </p>
            {step.detail ? <p className="text-base-content/80">{step.detail}</p> : null}
          </div>
        </li>
      ))}
    </ol>
  );
}
