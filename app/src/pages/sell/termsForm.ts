/**
 * The create form's fields, one per field of a terms file (docs/schemas/listing-terms.schema.json),
 * and the terms file's JSON built from what was typed, so the form and an uploaded file are
 * judged by the same parser (the SDK's parseListingSpec) with the same sentences. A number
 * field that is not an integer goes in as typed, for the parser to refuse by name.
 */
export interface TermsField {
  /** The field's path in the terms file, e.g. "testPolicy.deposit". */
  readonly path: string;
  readonly label: string;
  readonly kind: "integer" | "eth" | "text";
  readonly initial: string;
  readonly hint?: string;
}

export const TERMS_FORM_FIELDS: readonly TermsField[] = [
  { path: "task.featureCount", label: "Features per sample", kind: "integer", initial: "", hint: "what the model's input takes" },
  { path: "task.classCount", label: "Classes", kind: "integer", initial: "", hint: "scores the model's output gives per sample" },
  { path: "task.scaleBits", label: "Scale bits", kind: "integer", initial: "8", hint: "a feature x is quantized as round(x · 2^scaleBits)" },
  { path: "task.featureBits", label: "Feature bits", kind: "integer", initial: "12", hint: "bits of a quantized feature" },
  { path: "claimedAccuracyBps", label: "Claimed accuracy (basis points)", kind: "integer", initial: "", hint: "9666 = 96.66 %" },
  { path: "testPolicy.deposit", label: "Deposit per test-drive (ETH)", kind: "eth", initial: "1" },
  { path: "testPolicy.feePerExtraSample", label: "Fee per extra sample (ETH)", kind: "eth", initial: "0.0001" },
  { path: "testPolicy.freeSamples", label: "Free samples", kind: "integer", initial: "100" },
  { path: "testPolicy.minSamples", label: "Smallest test set", kind: "integer", initial: "10" },
  { path: "testPolicy.maxSamples", label: "Largest test set", kind: "integer", initial: "1000" },
  { path: "testPolicy.serviceWindow", label: "Service window (seconds)", kind: "integer", initial: "3600", hint: "your worker's time to evaluate" },
  { path: "testPolicy.disputeWindow", label: "Dispute window (seconds)", kind: "integer", initial: "86400", hint: "a buyer's time to claim a refund" },
  { path: "sale.price", label: "Price (ETH)", kind: "eth", initial: "", hint: "leave empty to sell by auction" },
  { path: "worker.endpoint", label: "Worker URL", kind: "text", initial: "", hint: "e.g. https://worker.example.com" },
  { path: "worker.signer", label: "Worker signer address", kind: "text", initial: "", hint: "the address your worker signs receipts with" },
  { path: "metadata.uri", label: "Model card URI", kind: "text", initial: "", hint: "https://, ipfs:// or a path on this site" },
];

export type TermsFormValues = Readonly<Record<string, string>>;

export const initialTermsForm = (): TermsFormValues => Object.fromEntries(TERMS_FORM_FIELDS.map((f) => [f.path, f.initial]));

/** The terms file's text for what the form holds (an empty price: an auction). */
export function termsFileOf(values: TermsFormValues): string {
  const root: Record<string, Record<string, unknown> | unknown> = {};
  for (const field of TERMS_FORM_FIELDS) {
    if (field.path === "sale.price") continue;
    const typed = (values[field.path] ?? "").trim();
    const value = field.kind === "integer" && /^\d+$/.test(typed) ? Number(typed) : typed;
    const [head, tail] = field.path.split(".") as [string, string | undefined];
    if (tail === undefined) root[head] = value;
    else root[head] = { ...(root[head] as Record<string, unknown> | undefined), [tail]: value };
  }
  const price = (values["sale.price"] ?? "").trim();
  root.sale = price === "" ? { mode: "auction" } : { mode: "fixed", price };
  return JSON.stringify(root, null, 2);
}
