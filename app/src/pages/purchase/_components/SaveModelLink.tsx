/** A link that saves the decrypted, verified model bytes as `<name>.onnx` (a Blob URL, released when the link goes). */
import { useEffect, useMemo } from "react";

export function SaveModelLink({ bytes, fileName }: { bytes: Uint8Array; fileName: string }) {
  const url = useMemo(() => URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "application/octet-stream" })), [bytes]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  return (
    <a className="btn btn-primary self-start" href={url} download={fileName}>
      Save {fileName}
    </a>
  );
}
