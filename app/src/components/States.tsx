/**
 * The three states every data view has besides its data: loading, empty and error, drawn the
 * same way on every page. An error is an alert (read out by screen readers) with one sentence.
 */
import type { ReactNode } from "react";
import { AlertIcon } from "./Icons.tsx";

export function LoadingState({ children }: { children: ReactNode }) {
  return (
    <div role="status" className="flex items-center gap-3 rounded-box bg-base-100 p-6 text-base-content/80">
      <span className="loading loading-spinner loading-md text-primary" aria-hidden="true" />
      <span>{children}</span>
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-box border border-dashed border-base-300 bg-base-100 p-8 text-center">
      <p className="font-semibold">{title}</p>
      {children ? <div className="mt-1 text-sm text-base-content/80">{children}</div> : null}
    </div>
  );
}

/** The first line of an error's message: viem's messages continue with details and versions. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] ?? message;
}

export function ErrorState({ title, error }: { title: string; error: unknown }) {
  return (
    <div role="alert" className="alert alert-error alert-soft">
      <AlertIcon className="size-5 shrink-0" />
      <span>
        {title}: {firstLine(error)}
      </span>
    </div>
  );
}
