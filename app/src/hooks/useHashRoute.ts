/**
 * The page the address names, from its hash (`#/audit` -> "/audit", none -> "/"): a hash
 * router needs no server rewrites, so any static host serves every page.
 */
import { useSyncExternalStore } from "react";

function subscribe(onChange: () => void): () => void {
  window.addEventListener("hashchange", onChange);
  return () => window.removeEventListener("hashchange", onChange);
}

function currentRoute(): string {
  return window.location.hash.replace(/^#/, "") || "/";
}

export function useHashRoute(): string {
  return useSyncExternalStore(subscribe, currentRoute);
}
