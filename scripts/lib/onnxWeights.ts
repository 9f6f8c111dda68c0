/**
 * The weights a white-box fingerprint trace reads from an ONNX file: its float32 initializers of
 * rank 2 or more (weight matrices and kernels, not biases or constants), concatenated in name
 * order, the order scripts/train/fingerprint.ts marks them in.
 */
import onnxProto from "onnx-proto";

const { onnx } = onnxProto;
const FLOAT = 1;

export class OnnxWeightsError extends Error {
  override readonly name = "OnnxWeightsError";
}

export function onnxWeights(bytes: Uint8Array, source: string): Float64Array {
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch {
    throw new OnnxWeightsError(`${source} is not an ONNX model`);
  }
  const tensors = (model.graph?.initializer ?? [])
    .filter((t) => t.dataType === FLOAT && (t.dims?.length ?? 0) >= 2)
    .sort((a, b) => ((a.name ?? "") < (b.name ?? "") ? -1 : (a.name ?? "") > (b.name ?? "") ? 1 : 0));
  const parts = tensors.map((t) => {
    if (t.rawData && t.rawData.length > 0) {
      const view = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
      return Float64Array.from({ length: t.rawData.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
    }
    return Float64Array.from(t.floatData ?? []);
  });
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
