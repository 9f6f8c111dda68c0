/** How every surface writes a size for people: "263 KiB", "3.4 MiB", "395 MiB", "1.2 GiB" (the CLI's estimates, the dApp's cost). */
export function byteText(bytes: number): string {
  if (bytes < 2 ** 20) return `${Math.ceil(bytes / 2 ** 10)} KiB`;
  if (bytes < 2 ** 30) return `${(bytes / 2 ** 20).toFixed(bytes < 10 * 2 ** 20 ? 1 : 0)} MiB`;
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}
