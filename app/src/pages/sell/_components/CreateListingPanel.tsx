/**
 * A new listing from an ONNX file (at most 32 MiB, read in a Web Worker: modelInBrowser.ts): the terms typed into the form (one field per field of a
 * terms file) or uploaded as a terms file, checked in this browser by the SDK's prepareListing
 * (the registry's rules, the task against the model's declared input and output, the model card
 * against the task: the sentences `bazaar list` prints), then listed through useTransactor. A
 * listing made here commits no HE plan: refunds are bound by their fees only (the plan
 * commitment, and the HE compatibility report, come from the compiler the CLI runs in Node).
 */
import { useId, useState, type ChangeEvent } from "react";
import { parseEventLogs, type Address as Hex20 } from "viem";
import { modelRegistryAbi } from "@modelbazaar/sdk/abis";
import { ECONOMICS_ONLY_DISPUTE_POLICY, classList, isListingRefusal, listingArguments, prepareListing, type PreparedListing } from "@modelbazaar/sdk/listings";
import { Address } from "../../../components/Address.tsx";
import { firstLine } from "../../../components/States.tsx";
import { ether } from "../../../format.ts";
import { useTransactor } from "../../../hooks/useTransactor.ts";
import { deployment } from "../../../marketConfig.ts";
import { Panel } from "../../../components/Panel.tsx";
import { modelSizeRefusal, readCardDocument, readModelShapeInBrowser } from "../modelInBrowser.ts";
import { extractionHintOf } from "../extractionHint.ts";
import { initialTermsForm, TERMS_FORM_FIELDS, termsFileOf, type TermsFormValues } from "../termsForm.ts";

interface PickedFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

type Check = { readonly ok: PreparedListing; readonly model: PickedFile } | { readonly refusal: string };

async function picked(event: ChangeEvent<HTMLInputElement>): Promise<PickedFile | undefined> {
  const file = event.target.files?.[0];
  return file ? { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) } : undefined;
}

/** The picked model file, or the refusal of one too large to read (judged from its size, before a byte is read). */
async function pickedModel(event: ChangeEvent<HTMLInputElement>): Promise<PickedFile | { readonly refusal: string } | undefined> {
  const file = event.target.files?.[0];
  const refusal = file && modelSizeRefusal(file.name, file.size);
  return refusal ? { refusal } : picked(event);
}

export function CreateListingPanel({ seller }: { seller: Hex20 }) {
  const ids = { model: useId(), terms: useId(), mode: useId() };
  const [model, setModel] = useState<PickedFile>();
  const [modelNote, setModelNote] = useState<string>();
  const [mode, setMode] = useState<"form" | "file">("form");
  const [values, setValues] = useState<TermsFormValues>(initialTermsForm);
  const [termsFile, setTermsFile] = useState<{ name: string; text: string }>();
  const [check, setCheck] = useState<Check>();
  const [listed, setListed] = useState<bigint>();
  const { transact, pending } = useTransactor();

  const changed = () => (setCheck(undefined), setListed(undefined));
  const onModel = async (event: ChangeEvent<HTMLInputElement>) => {
    changed();
    const file = await pickedModel(event);
    if (file && "refusal" in file) return setModel(undefined), setModelNote(file.refusal);
    setModel(file);
    if (!file) return setModelNote(undefined);
    setModelNote(`Reading ${file.name}…`);
    try {
      const shape = await readModelShapeInBrowser(file.bytes, file.name);
      setModelNote(`${file.name}: ${shape.featureCount} features per sample (input "${shape.input.name}"), ${shape.outputCount} class scores (output "${shape.output.name}").`);
      setValues((v) => ({ ...v, "task.featureCount": v["task.featureCount"] || String(shape.featureCount), "task.classCount": v["task.classCount"] || String(shape.outputCount) }));
    } catch (error) {
      setModelNote(isListingRefusal(error) ? error.message : firstLine(error));
    }
  };
  const onTermsFile = async (event: ChangeEvent<HTMLInputElement>) => {
    changed();
    const file = event.target.files?.[0];
    setTermsFile(file ? { name: file.name, text: await file.text() } : undefined);
  };

  const runCheck = async () => {
    setListed(undefined);
    if (!model) return setCheck({ refusal: "pick the model's ONNX file first" });
    const terms = mode === "file" ? (termsFile ? { text: termsFile.text, source: termsFile.name } : undefined) : { text: termsFileOf(values), source: "the terms in the form" };
    if (!terms) return setCheck({ refusal: "pick a terms file (JSON) first, or fill in the form" });
    try {
      setCheck({ ok: await prepareListing({ terms, model: { bytes: model.bytes, source: model.name }, readShape: readModelShapeInBrowser, readCard: readCardDocument }), model });
    } catch (error) {
      setCheck({ refusal: isListingRefusal(error) ? error.message : firstLine(error) });
    }
  };

  const list = async () => {
    if (!check || !("ok" in check)) return;
    const args = listingArguments(check.model.bytes, { ...check.ok.spec, disputePolicy: ECONOMICS_ONLY_DISPUTE_POLICY });
    const receipt = await transact({ address: deployment.registry, abi: modelRegistryAbi, functionName: "list", args, description: `List ${check.model.name}` });
    const [created] = receipt ? parseEventLogs({ abi: modelRegistryAbi, logs: receipt.logs, eventName: "ListingCreated" }) : [];
    if (created) setListed(created.args.listingId);
  };

  return (
    <Panel id="create-listing" title="List a model" className="lg:col-span-2">
      <form className="grid gap-4" onSubmit={(event) => (event.preventDefault(), void runCheck())}>
        <div className="grid gap-1">
          <label htmlFor={ids.model} className="text-sm font-semibold">
            The model (ONNX file)
          </label>
          <input id={ids.model} type="file" accept=".onnx" className="file-input w-full max-w-md" onChange={(event) => void onModel(event)} />
          {modelNote ? (
            <p className="text-sm" data-testid="model-signature">
              {modelNote}
            </p>
          ) : null}
        </div>
        <fieldset className="grid gap-2">
          <legend className="mb-1 text-sm font-semibold">The terms</legend>
          <div className="flex flex-wrap gap-4 text-sm">
            <label className="flex items-center gap-2">
              <input type="radio" className="radio radio-sm" name={ids.mode} checked={mode === "form"} onChange={() => (changed(), setMode("form"))} /> Fill in the form
            </label>
            <label className="flex items-center gap-2">
              <input type="radio" className="radio radio-sm" name={ids.mode} checked={mode === "file"} onChange={() => (changed(), setMode("file"))} /> Upload a terms file (JSON)
            </label>
          </div>
          {mode === "file" ? (
            <div className="grid gap-1">
              <label htmlFor={ids.terms} className="text-sm">
                Terms file (docs/schemas/listing-terms.schema.json, as <code>bazaar list --terms</code> takes it)
              </label>
              <input id={ids.terms} type="file" accept=".json,application/json" className="file-input w-full max-w-md" onChange={(event) => void onTermsFile(event)} />
            </div>
          ) : (
            <TermsFields values={values} onChange={(path, value) => (changed(), setValues((v) => ({ ...v, [path]: value })))} />
          )}
        </fieldset>
        <p className="text-sm text-base-content/80">
          This browser checks the terms against the model's declared input and output and against its model card, as <code>bazaar list</code> does. The HE compatibility report compiles the model's graph and runs in Node:{" "}
          <code className="break-all">bazaar model check {model?.name ?? "<model.onnx>"}</code> prints it; once your worker serves the listing, the worker column shows the plan it runs.
        </p>
        <div className="flex flex-wrap gap-2">
          <button type="submit" className="btn btn-sm">
            Check the terms against the model
          </button>
          <button type="button" className="btn btn-primary btn-sm" disabled={pending || !check || !("ok" in check) || listed !== undefined} onClick={() => void list()}>
            {pending ? <span className="loading loading-spinner loading-xs" aria-hidden="true" /> : null}
            List the model
          </button>
        </div>
      </form>
      {check && "refusal" in check ? (
        <p role="alert" className="alert alert-error alert-soft text-sm text-base-content break-words" data-testid="listing-check-error">
          <span className="min-w-0">{check.refusal}</span>
        </p>
      ) : null}
      {check && "ok" in check ? <CheckedTerms prepared={check.ok} model={check.model} seller={seller} /> : null}
      {listed !== undefined ? (
        <p role="status" className="alert alert-success alert-soft text-sm text-base-content" data-testid="listing-created">
          <span>
            Listed as{" "}
            <a className="link" href={`#/model/${listed}`}>
              listing #{String(listed)}
            </a>
            . Keep the ONNX file: buyers are delivered exactly these bytes. Serve it from your worker (listing {String(listed)} in its config).
          </span>
        </p>
      ) : null}
    </Panel>
  );
}

function TermsFields({ values, onChange }: { values: TermsFormValues; onChange: (path: string, value: string) => void }) {
  const prefix = useId();
  const extraction = extractionHintOf(values);
  return (
    <>
      <div className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
        {TERMS_FORM_FIELDS.map((field) => {
          const id = `${prefix}-${field.path}`;
          return (
            <div key={field.path} className="grid min-w-0 content-start gap-1">
              <label htmlFor={id} className="text-sm">
                {field.label}
              </label>
              <input
                id={id}
                className="input input-sm w-full"
                inputMode={field.kind === "text" ? "text" : "decimal"}
                value={values[field.path] ?? ""}
                onChange={(event) => onChange(field.path, event.target.value)}
                aria-describedby={field.hint ? `${id}-hint` : undefined}
              />
              {field.hint ? (
                <span id={`${id}-hint`} className="text-xs text-base-content/70">
                  {field.hint}
                </span>
              ) : null}
            </div>
          );
        })}
      </div>
      {extraction ? (
        <div className="grid gap-1 text-xs text-base-content/70" data-testid="extraction-hint">
          {extraction.map((line) => (
            <p key={line}>{line}</p>
          ))}
          <p>
            Measured on the shipped models: docs/studies/extraction.md. Advice only: you may list with other terms.
          </p>
        </div>
      ) : null}
    </>
  );
}

function CheckedTerms({ prepared, model, seller }: { prepared: PreparedListing; model: PickedFile; seller: Hex20 }) {
  const { spec, metadata, warning, shape } = prepared;
  return (
    <div role="status" className="alert alert-success alert-soft text-sm text-base-content" data-testid="listing-check-ok">
      <div className="grid min-w-0 gap-1 break-words">
        <p>
          The terms fit {model.name}: {shape.featureCount} features, {spec.task.classCount} classes{metadata?.classNames ? ` (${classList(metadata.classNames)})` : ""}; {spec.sale.mode === "fixed" ? `for ${ether(spec.sale.price)}` : "for auction"}, as <Address address={seller} />.
        </p>
        {warning ? <p>Warning: {warning}</p> : null}
        <p>Refunds of a listing made here are bound by the fee of every sample only: the plan commitment that lets you contest a refund is made by <code>bazaar list</code>, whose HE compiler runs in Node.</p>
      </div>
    </div>
  );
}
