/**
 * Light or dark: the OS preference until the person picks one with the navbar's toggle; the
 * pick is kept in localStorage (index.html applies it before the first paint) and set as
 * daisyUI's data-theme on <html>.
 */
import { useCallback, useSyncExternalStore } from "react";

export type Theme = "light" | "dark";
const KEY = "modelbazaar.theme";
const DARK = "(prefers-color-scheme: dark)";
const listeners = new Set<() => void>();

function stored(): Theme | undefined {
  try {
    const value = localStorage.getItem(KEY);
    return value === "light" || value === "dark" ? value : undefined;
  } catch {
    return undefined;
  }
}

function current(): Theme {
  return stored() ?? (window.matchMedia(DARK).matches ? "dark" : "light");
}

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  const media = window.matchMedia(DARK);
  media.addEventListener("change", onChange);
  return () => {
    listeners.delete(onChange);
    media.removeEventListener("change", onChange);
  };
}

export function useTheme(): { theme: Theme; setTheme: (theme: Theme) => void } {
  const theme = useSyncExternalStore(subscribe, current);
  const setTheme = useCallback((next: Theme) => {
    try {
      localStorage.setItem(KEY, next);
    } catch {
      // private mode: the pick lasts for this page only
    }
    document.documentElement.dataset.theme = next;
    for (const listener of listeners) listener();
  }, []);
  return { theme, setTheme };
}
