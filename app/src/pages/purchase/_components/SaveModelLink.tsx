/**
 * A link that saves the decrypted, verified model bytes as `<name>.onnx`: a Blob URL made when
 * the bytes arrive and released when they change or the link goes (made in the effect, so a
 * remount gets a fresh one rather than a released one).
 */
import { useEffect, useState } from "react";

export function SaveModelLink({ bytes, fileName }: { bytes: Uint8Array; fileName: string }) {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    const made = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "application/octet-stream" }));
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [bytes]);
  if (url === undefined) return null;
  return (
    <a className="btn btn-primary self-start" href={url} download={fileName}>
      Save {fileName}
    </a>
  );
}
