/**
 * Time left until a deadline (a block timestamp in seconds) on the chain's clock
 * (hooks/useChainTime.ts): "2d 4h", "3m 05s", then "ended". A <time> element carries the
 * deadline itself; screen readers get the text, not a per-second announcement.
 */
import { useChainTime } from "../hooks/useChainTime.ts";

/** Seconds as the two largest units, e.g. 93784 -> "1d 2h", 185 -> "3m 05s". */
export function formatDuration(seconds: bigint): string {
  const s = Number(seconds);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${String(m).padStart(2, "0")}m`;
  return `${m}m ${String(sec).padStart(2, "0")}s`;
}

export function Countdown({ deadline, endedText = "ended" }: { deadline: bigint; endedText?: string }) {
  const now = useChainTime();
  const iso = new Date(Number(deadline) * 1000).toISOString();
  if (now === undefined) return <time dateTime={iso}>…</time>;
  const left = deadline - now;
  return (
    <time dateTime={iso} title={iso} className={left <= 0n ? "text-base-content/70" : left < 3600n ? "font-semibold" : undefined}>
      {left <= 0n ? endedText : `${formatDuration(left)} left`}
    </time>
  );
}
