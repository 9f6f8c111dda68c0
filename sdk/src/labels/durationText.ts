/** How every surface writes a duration for people: "0.03 s", "0.4 s", "12 s", "5 min 20 s", "1 h 5 min" (the CLI's estimates and progress, the dApp's cost). */
export function durationText(seconds: number): string {
  if (seconds < 0.1) return `${Number(seconds.toPrecision(1))} s`; // one significant digit: an Iris batch is 0.03 s, not "0.0 s"
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds - 60 * minutes)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
