/**
 * A buyer's fingerprinted copy of the shipped iris-logreg, made as `node
 * scripts/train/fingerprint.ts --model iris-logreg` makes it (trained again, deterministically,
 * then fine-tuned with the buyer's triggers and marked; under a second): the per-buyer copy the
 * worker tests serve (docs/PROTOCOL.md §7.2). The ledger is fresh, so its marks are not traced here.
 */
import type { Address } from "viem";
import { cloneNetwork } from "../../scripts/train/cloneNetwork.ts";
import { fingerprintCopy, newLedger } from "../../scripts/train/fingerprint.ts";
import { modelSpec } from "../../scripts/train/modelSpecs.ts";
import { exportOnnx } from "../../scripts/train/onnxExport.ts";
import { trainModel } from "../../scripts/train/trainModel.ts";

/** The ONNX bytes of `buyer`'s copy of iris-logreg. */
export function fingerprintedIrisCopy(buyer: Address): Uint8Array {
  const spec = modelSpec("iris-logreg");
  const base = trainModel(spec.name);
  const copy = cloneNetwork(spec.build, base.split, base.network);
  fingerprintCopy(copy, newLedger(base.split.train, [buyer]), buyer, base.split.train, spec.hyperparameters);
  return exportOnnx(copy, { graphName: spec.name, docString: spec.description, softmaxOutput: spec.softmaxOutput });
}
