/**
 * The test-drive of a listing: the buyer picks a labelled CSV on their disk; it is read and
 * checked against the listing in this browser (the SDK's parseLabelledCsv and listingTestSet,
 * with the CLI's sentences), its cost shown, then the test-drive runs (hooks/useTestDriveRun.ts)
 * to the decrypted report and the next actions. The latest test-drive this browser keeps for
 * this listing and account is shown on arrival (when the chain's test-drive of that id posted its
 * commitment), so a reload loses nothing.
 */
import { useState } from "react";
import type { Address } from "viem";
import { useAccount } from "wagmi";
import { listingTestSet, type ListingTask, type PreparedTestSet } from "@modelbazaar/sdk/actions";
import type { ListingCard } from "@modelbazaar/sdk/listings";
import { parseLabelledCsv } from "@modelbazaar/sdk/testDrives";
import type { ServedListing } from "@modelbazaar/sdk/worker";
import { firstLine } from "../../../components/States.tsx";
import { useTestDriveRun } from "../../../hooks/useTestDriveRun.ts";
import { useTestDriveState } from "../../../hooks/useTestDriveState.ts";
import { deployment } from "../../../marketConfig.ts";
import { keptTestDrives, type BrowserKeptTestDrive } from "../../../testDrive/keptTestDrive.ts";
import { AccuracyReport } from "./AccuracyReport.tsx";
import { KeptSecrets } from "./KeptSecrets.tsx";
import { NextActions } from "./NextActions.tsx";
import { Panel } from "../../../components/Panel.tsx";
import { RunProgress } from "./RunProgress.tsx";
import { TestDriveCost, useTestPrice } from "./TestDriveCost.tsx";
import type { ListingTerms } from "./TermsPanel.tsx";

export interface TestDrivePanelProps {
  readonly listingId: bigint;
  readonly active: boolean;
  readonly task: ListingTask;
  readonly terms: ListingTerms;
  readonly workerEndpoint: string;
  readonly card: ListingCard | undefined;
  /** What the listing's worker serves for it (undefined while asked, or when it does not answer). */
  readonly served: ServedListing | undefined;
  readonly servedError: unknown;
}

type Checked = { readonly file: string; readonly set: PreparedTestSet } | { readonly file: string; readonly error: string };

export function TestDrivePanel(props: TestDrivePanelProps) {
  const { listingId, terms, served } = props;
  const plan = served?.plan;
  const { address } = useAccount();
  const [checked, setChecked] = useState<Checked>();
  const [record, setRecord] = useState<BrowserKeptTestDrive | undefined>();
  const [previewSamples, setPreviewSamples] = useState(terms.testPolicy.minSamples);
  const stored = record ?? (address ? latestKept(listingId, address) : undefined);
  const chainState = useTestDriveState(stored?.testId !== undefined ? BigInt(stored.testId) : undefined);
  // A record is this chain's test-drive only if the chain has it and its test-drive posted the
  // record's commitment: a restarted local chain reuses the addresses and the ids (the CLI
  // checks the same, keptTestDrive). Until the chain answers, nothing is shown.
  // (the previous test id's answer, kept while the next loads, is no answer for this one)
  const onChain = chainState.data !== undefined && chainState.data.testId.toString() === stored?.testId ? chainState.data : undefined;
  const foreign = stored?.testId !== undefined && onChain !== undefined && (onChain.missing || onChain.test.test.dataCommitment.toLowerCase() !== stored.dataCommitment.toLowerCase());
  const kept = stored?.testId !== undefined && (onChain === undefined || foreign) ? undefined : stored;
  const { state, start } = useTestDriveRun(setRecord);
  const set = checked && "set" in checked ? checked.set : undefined;
  const sampleCount = set?.sampleCount ?? previewSamples;
  const price = useTestPrice(listingId, sampleCount, terms.testPolicy);
  const running = state.phase === "running";

  async function pick(file: File | undefined) {
    if (!file) return setChecked(undefined);
    try {
      const samples = parseLabelledCsv(await file.text(), file.name);
      const prepared = listingTestSet({ samples, listingId, task: props.task, classNames: props.card?.metadata?.classNames, namesMissing: props.card?.problem, source: file.name });
      setChecked({ file: file.name, set: prepared });
    } catch (error) {
      setChecked({ file: file.name, error: firstLine(error) });
    }
  }

  const blocker = !props.active
    ? "This listing is not active: it cannot be test-driven."
    : !address
      ? "Connect a wallet to test-drive: the deposit and fee are staked from it, and it signs the upload."
      : props.servedError
        ? `The seller's worker cannot take a test-drive: ${firstLine(props.servedError)}.`
        : undefined;

  return (
    <Panel id="test-drive" title="Test-drive on your own data" className="lg:col-span-3">
      <p className="text-sm text-base-content/80">
        Your test set is checked, committed and encrypted in this browser; only ciphertexts go to the seller's worker and only the commitment to the chain. You decrypt the
        result here and compare it with the claim.
      </p>
      <div className="grid gap-6 md:grid-cols-2">
        <div className="flex flex-col gap-3">
          <label className="form-control flex flex-col gap-1">
            <span className="text-sm font-medium">Your labelled test set (CSV: a header line, then the features and the label of each sample)</span>
            <input type="file" accept=".csv,text/csv" className="file-input file-input-bordered w-full" disabled={running} onChange={(event) => void pick(event.target.files?.[0])} data-testid="csv-input" />
          </label>
          {checked && "error" in checked ? (
            <p role="alert" className="alert alert-error alert-soft text-base-content text-sm" data-testid="csv-error">
              {checked.error}
            </p>
          ) : null}
          {set ? (
            <p className="text-sm" data-testid="csv-ok">
              {checked!.file}: {set.sampleCount} samples fit listing #{String(listingId)}; committed as <code>{`0x${set.dataCommitment.toString(16).padStart(64, "0").slice(0, 10)}…`}</code>
            </p>
          ) : (
            <label className="flex items-center gap-2 text-sm">
              <span>Samples to price</span>
              <input
                type="number"
                className="input input-sm input-bordered w-28"
                min={terms.testPolicy.minSamples}
                max={terms.testPolicy.maxSamples}
                value={previewSamples}
                onChange={(event) => setPreviewSamples(Number(event.target.value))}
              />
            </label>
          )}
          {blocker ? <p className="text-sm text-base-content/80" data-testid="test-drive-blocker">{blocker}</p> : null}
          <button
            type="button"
            className="btn btn-primary self-start"
            disabled={!set || !!blocker || !price.data || !plan || running}
            onClick={() => set && plan && price.data && address && void start({ buyer: address, listing: { id: listingId, workerEndpoint: props.workerEndpoint, claimedAccuracyBps: terms.claimedAccuracyBps, classCount: props.task.classCount, classNames: props.card?.metadata?.classNames }, plan, set, value: price.data.deposit + price.data.fee })}
          >
            {running ? <span className="loading loading-spinner loading-sm" aria-hidden="true" /> : null}
            {set ? `Test-drive on ${set.sampleCount} samples` : "Test-drive"}
          </button>
        </div>
        <div>
          <h3 className="mb-2 text-sm font-semibold">What a test-drive of {sampleCount} samples costs</h3>
          <TestDriveCost listingId={listingId} policy={terms.testPolicy} sampleCount={sampleCount} served={served} />
        </div>
      </div>
      {state.phase === "running" ? <RunProgress progress={state.progress} /> : null}
      {state.phase === "failed" ? (
        <p role="alert" className="alert alert-error alert-soft text-base-content text-sm" data-testid="run-error">
          {state.error}
        </p>
      ) : null}
      {foreign ? (
        <p className="text-sm text-base-content/80" data-testid="foreign-record">
          This browser keeps a test-drive #{stored.testId} of listing #{String(listingId)} that this chain's test-drive #{stored.testId} does not commit to (an earlier chain at the same
          address): it is not shown, and stays in this browser's storage.
        </p>
      ) : null}
      {kept ? <KeptSecrets record={kept} onKept={setRecord} /> : null}
      {kept?.predictions && kept.testId !== undefined ? (
        <>
          <AccuracyReport record={kept} />
          <NextActions record={kept} onKept={setRecord} />
        </>
      ) : null}
    </Panel>
  );
}

function latestKept(listingId: bigint, buyer: Address): BrowserKeptTestDrive | undefined {
  return keptTestDrives(deployment.chainId, deployment.market, { listingId, buyer })[0];
}
