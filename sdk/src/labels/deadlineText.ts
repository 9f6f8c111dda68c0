/**
 * How clients (the `bazaar` CLI, the SDK's refusals) print a deadline: the UTC time and how far it is from the chain's clock
 * ("2026-11-24 15:03 UTC, in 10 min"), since phases follow block time, not the local clock.
 */

/** `at` (Unix seconds) as "2026-11-24 15:03:07 UTC". */
export function formatTime(at: number): string {
  return new Date(at * 1000).toISOString().replace("T", " ").replace(/\.\d{3}Z$/, " UTC");
}

/** `at` and `now` in Unix seconds (chain time). */
export function formatDeadline(at: number, now: number): string {
  const utc = formatTime(at);
  const distance = formatSpan(Math.abs(at - now));
  return at > now ? `${utc}, in ${distance}` : `${utc}, ${distance} ago`;
}

function formatSpan(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7_200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3_600)} h`;
  return `${Math.round(seconds / 86_400)} days`;
}
