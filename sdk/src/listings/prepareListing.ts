/**
 * Everything checked before a model is listed, in the order `bazaar list` and the dApp's
 * create form check it, each refusal a sentence naming the file and the fix: the terms
 * (listingSpec.ts), the task against the ONNX model's input and output (modelFit.ts; the
 * reader of the model's shape is the caller's: onnxruntime in Node, the declared signature in a
 * browser), and the model card the terms name (termsMetadata.ts; the reader of the card is the
 * caller's too). Nothing here sends a transaction.
 */
import { ListingMetadataError } from "./listingMetadata.ts";
import type { DocumentRead } from "./listingCard.ts";
import { checkTaskAgainstModel, ModelFitError, type ModelShape } from "./modelFit.ts";
import { ModelShapeError } from "./modelSignature.ts";
import { ListingSpecError, parseListingSpec } from "./listingSpec.ts";
import { termsWithMetadata, type TermsWithMetadata } from "./termsMetadata.ts";

export interface PrepareListingParameters {
  /** The terms file's text and its name in sentences. */
  readonly terms: { readonly text: string; readonly source: string };
  /** The model file's bytes and its name in sentences. */
  readonly model: { readonly bytes: Uint8Array; readonly source: string };
  /** Reads the model's sample input and first output (throws ModelShapeError with a sentence). */
  readonly readShape: (bytes: Uint8Array, source: string) => ModelShape | Promise<ModelShape>;
  /** Reads the model card at the terms' metadata URI, or says why not. */
  readonly readCard: (uri: string) => Promise<DocumentRead>;
}

export interface PreparedListing extends TermsWithMetadata {
  readonly shape: ModelShape;
}

/** The terms checked and completed, or a refusal (see {isListingRefusal}). */
export async function prepareListing({ terms, model, readShape, readCard }: PrepareListingParameters): Promise<PreparedListing> {
  if (model.bytes.length === 0) throw new ModelShapeError(`${model.source} is empty`);
  let json: unknown;
  try {
    json = JSON.parse(terms.text);
  } catch (error) {
    throw new ListingSpecError(`${terms.source} is not valid JSON: ${(error as Error).message}`);
  }
  const spec = parseListingSpec(json, terms.source);
  const shape = await readShape(model.bytes, model.source);
  checkTaskAgainstModel(spec.task, shape, { terms: terms.source, model: model.source });
  return { ...termsWithMetadata(spec, await readCard(spec.metadataURI), terms.source), shape };
}

/** Whether `error` is one of prepareListing's refusals (a sentence for the seller), not a fault. */
export function isListingRefusal(error: unknown): error is ListingSpecError | ModelShapeError | ModelFitError | ListingMetadataError {
  return error instanceof ListingSpecError || error instanceof ModelShapeError || error instanceof ModelFitError || error instanceof ListingMetadataError;
}
