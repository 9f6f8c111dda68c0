/**
 * A tiny notification store for the transaction lifecycle (useTransactor.ts): toasts are
 * added and updated by id, and shown by components/Toasts.tsx.
 */
import { useSyncExternalStore } from "react";

export type ToastKind = "info" | "success" | "error";

export interface Toast {
  readonly id: number;
  readonly kind: ToastKind;
  readonly title: string;
  readonly body?: string;
  /** A transaction hash the toast is about. */
  readonly hash?: `0x${string}`;
  readonly pending?: boolean;
}

let toasts: readonly Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const changed = () => listeners.forEach((listener) => listener());

export function showToast(toast: Omit<Toast, "id">, { timeout = toast.kind === "error" ? 12_000 : 6_000 }: { timeout?: number } = {}): number {
  const id = nextId++;
  toasts = [...toasts, { ...toast, id }];
  changed();
  if (!toast.pending) setTimeout(() => dismissToast(id), timeout);
  return id;
}

export function updateToast(id: number, toast: Omit<Toast, "id">, { timeout = toast.kind === "error" ? 12_000 : 6_000 }: { timeout?: number } = {}): void {
  toasts = toasts.map((t) => (t.id === id ? { ...toast, id } : t));
  changed();
  if (!toast.pending) setTimeout(() => dismissToast(id), timeout);
}

export function dismissToast(id: number): void {
  toasts = toasts.filter((t) => t.id !== id);
  changed();
}

export function useToasts(): readonly Toast[] {
  return useSyncExternalStore(
    (onChange) => {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    () => toasts,
  );
}
