/**
 * The listings page's search and filters: words of the model's name, task, highest price,
 * lowest claimed accuracy, sale mode, and paused or delisted listings too. It only edits a
 * ListingFilter; the SDK's searchListings applies it (the same filter as `bazaar listings`).
 */
import { useId } from "react";
import { parseEther } from "viem";
import type { ListingFilter, SaleModeFilter } from "@modelbazaar/sdk/listings";

export interface ListingFiltersProps {
  readonly filter: ListingFilter;
  readonly onChange: (filter: ListingFilter) => void;
  /** The tasks the listings have, as choices. */
  readonly tasks: readonly { readonly key: string; readonly label: string }[];
}

/** An ETH amount typed by a person, or undefined while it is empty or not a number yet. */
function weiOrUndefined(text: string): bigint | undefined {
  if (!/^\d+(\.\d{1,18})?$/.test(text.trim())) return undefined;
  return parseEther(text.trim());
}

/** A percentage typed by a person (0 to 100, two decimals), in basis points, or undefined. */
function bpsOrUndefined(text: string): number | undefined {
  const value = Number(text);
  return text.trim() === "" || !Number.isFinite(value) || value < 0 || value > 100 ? undefined : Math.round(value * 100);
}

export function ListingFilters({ filter, onChange, tasks }: ListingFiltersProps) {
  const id = useId();
  const set = (change: Partial<ListingFilter>) => onChange({ ...filter, ...change });
  return (
    <form role="search" aria-label="Find a model" className="mb-4 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-6" onSubmit={(event) => event.preventDefault()}>
      <label className="flex flex-col gap-1 text-sm lg:col-span-2" htmlFor={`${id}-text`}>
        <span className="font-medium">Search</span>
        <input id={`${id}-text`} type="search" className="input input-sm input-bordered w-full" placeholder="model name, e.g. iris" value={filter.text ?? ""} onChange={(event) => set({ text: event.target.value })} data-testid="filter-text" />
      </label>
      <label className="flex flex-col gap-1 text-sm" htmlFor={`${id}-task`}>
        <span className="font-medium">Task</span>
        <select id={`${id}-task`} className="select select-sm select-bordered w-full" value={filter.task ?? ""} onChange={(event) => set({ task: event.target.value || undefined })} data-testid="filter-task">
          <option value="">any task</option>
          {tasks.map((task) => (
            <option key={task.key} value={task.key}>
              {task.label}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-sm" htmlFor={`${id}-price`}>
        <span className="font-medium">Highest price (ETH)</span>
        <input id={`${id}-price`} inputMode="decimal" className="input input-sm input-bordered w-full" placeholder="any" onChange={(event) => set({ maxPriceWei: weiOrUndefined(event.target.value) })} data-testid="filter-price" />
      </label>
      <label className="flex flex-col gap-1 text-sm" htmlFor={`${id}-claim`}>
        <span className="font-medium">Lowest claimed accuracy (%)</span>
        <input id={`${id}-claim`} inputMode="decimal" className="input input-sm input-bordered w-full" placeholder="any" onChange={(event) => set({ minClaimBps: bpsOrUndefined(event.target.value) })} data-testid="filter-claim" />
      </label>
      <label className="flex flex-col gap-1 text-sm" htmlFor={`${id}-sale`}>
        <span className="font-medium">Sale</span>
        <select id={`${id}-sale`} className="select select-sm select-bordered w-full" value={filter.saleMode ?? "any"} onChange={(event) => set({ saleMode: event.target.value as SaleModeFilter })} data-testid="filter-sale">
          <option value="any">fixed price or auction</option>
          <option value="fixed">fixed price</option>
          <option value="auction">auction</option>
        </select>
      </label>
      <label className="flex cursor-pointer items-center gap-2 text-sm sm:col-span-2 lg:col-span-6">
        <input type="checkbox" className="checkbox checkbox-sm" checked={filter.includeInactive === true} onChange={(event) => set({ includeInactive: event.target.checked })} data-testid="filter-inactive" />
        <span>Show paused and delisted listings too</span>
      </label>
    </form>
  );
}
