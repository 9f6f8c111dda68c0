/**
 * A status badge's words and colour: the words are the SDK's label for the state
 * (sdk/src/labels/stateLabels.ts), the ones `bazaar status` prints; the colour says whether
 * the state waits on someone (info), needs action or is late (warning), or ended well (success).
 */
import { STATE_LABELS, stateLabelOfCode, type StateEnum } from "@modelbazaar/sdk/labels";

const TONES: Readonly<Record<string, string>> = {
  Active: "badge-success",
  Paused: "badge-warning",
  Delisted: "badge-neutral",
  AwaitingReceipt: "badge-info",
  AwaitingDelivery: "badge-info",
  AwaitingAcceptance: "badge-info",
  AwaitingKey: "badge-info",
  ComplaintWindow: "badge-info",
  Committing: "badge-info",
  Revealing: "badge-info",
  Evaluated: "badge-info",
  Unserved: "badge-warning",
  Forfeitable: "badge-warning",
  Disputed: "badge-warning",
  DeliveryOverdue: "badge-warning",
  KeyOverdue: "badge-warning",
  Completable: "badge-warning",
  Settleable: "badge-warning",
  Completed: "badge-success",
  Settled: "badge-success",
  Closed: "badge-neutral",
  Refunded: "badge-neutral",
};

export interface StatusBadgeLook {
  readonly text: string;
  /** daisyUI badge classes. */
  readonly className: string;
}

/** The badge of the value `code` of `enumName` as a contract returns it (an unknown code shows as its number). */
export function statusBadge(enumName: StateEnum, code: number): StatusBadgeLook {
  const member = Object.keys(STATE_LABELS[enumName])[code] ?? "";
  return { text: stateLabelOfCode(enumName, code) ?? String(code), className: `badge badge-sm ${TONES[member] ?? "badge-ghost"}` };
}
