/** Where the transaction lifecycle's notifications appear (wallet/toasts.ts): bottom right, read out politely. */
import { dismissToast, useToasts } from "../wallet/toasts.ts";
import { CopyButton } from "./Address.tsx";
import { CloseIcon } from "./Icons.tsx";

const STYLE = { info: "alert-info", success: "alert-success", error: "alert-error" } as const;

export function Toasts() {
  const toasts = useToasts();
  return (
    <div className="toast toast-end toast-bottom pointer-events-none z-50 w-full max-w-sm p-3 sm:p-4" aria-live="polite" role="status">
      {toasts.map((t) => (
        <div key={t.id} className={`alert ${STYLE[t.kind]} pointer-events-auto items-start shadow-lg`} data-testid={`toast-${t.kind}`}>
          {t.pending ? <span className="loading loading-spinner loading-sm mt-0.5" aria-hidden="true" /> : null}
          <div className="min-w-0 text-sm">
            <p className="font-semibold">{t.title}</p>
            {t.body ? <p>{t.body}</p> : null}
            {t.hash ? (
              <p className="flex items-center gap-1 font-mono text-xs">
                <span title={t.hash}>tx {t.hash.slice(0, 10)}…{t.hash.slice(-6)}</span>
                <CopyButton text={t.hash} label="Copy transaction hash" />
              </p>
            ) : null}
          </div>
          <button type="button" className="btn btn-ghost btn-xs btn-square" aria-label="Dismiss" onClick={() => dismissToast(t.id)}>
            <CloseIcon />
          </button>
        </div>
      ))}
    </div>
  );
}
