/** A state as a badge, in the words `bazaar status` prints (app/src/statusBadge.ts). */
import type { StateEnum } from "@modelbazaar/sdk/labels";
import { statusBadge } from "../statusBadge.ts";

export function StatusBadge({ enumName, code }: { enumName: StateEnum; code: number }) {
  const { text, className } = statusBadge(enumName, code);
  return (
    <span className={className} data-testid="status-badge">
      {text}
    </span>
  );
}
