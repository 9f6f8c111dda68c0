/**
 * Downloads a circuit artifact (.wasm or .zkey) with byte progress, and refuses what is not
 * one: a wrong static path on a single-page server answers index.html with status 200, which
 * snarkjs would otherwise reject later with an obscure "invalid magic number".
 */

const MAGIC: Readonly<Record<"wasm" | "zkey", readonly number[]>> = {
  wasm: [0x00, 0x61, 0x73, 0x6d], // "\0asm"
  zkey: [0x7a, 0x6b, 0x65, 0x79], // "zkey"
};

export class ArtifactFetchError extends Error {
  override name = "ArtifactFetchError";
}

export async function fetchArtifact(
  url: string,
  kind: "wasm" | "zkey",
  onBytes?: (received: number, total: number | undefined) => void,
): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new ArtifactFetchError(`could not load the ${kind} file at ${url}: HTTP ${response.status}`);
  const length = Number(response.headers.get("content-length") ?? NaN);
  const total = Number.isFinite(length) && length > 0 ? length : undefined;
  const parts: Uint8Array[] = [];
  let received = 0;
  const reader = response.body?.getReader();
  if (!reader) throw new ArtifactFetchError(`the ${kind} file at ${url} has no body`);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    received += value.byteLength;
    onBytes?.(received, total);
  }
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  if (!MAGIC[kind].every((byte, i) => bytes[i] === byte)) {
    throw new ArtifactFetchError(`${url} is not a ${kind} file (check the static path: a page was served instead)`);
  }
  return bytes;
}
