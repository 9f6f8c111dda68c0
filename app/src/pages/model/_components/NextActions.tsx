/**
 * What the buyer can do after a test-drive, from its state on the chain: buy (the purchase
 * page; the deposit pays part of the price), claim a refund by proof when the model scored
 * below its claim (proved in a Web Worker, with progress), then follow the dispute's road
 * (claimed, contested, samples opened, closed, with its deadlines), open the drawn samples
 * when the seller contests (proved in a Web Worker too), and close it when its window ends; or
 * walk away.
 */
import { TEST_STATUSES } from "@modelbazaar/sdk/actions";
import { refundDisputesAbi } from "@modelbazaar/sdk/abis";
import { Countdown } from "../../../components/Countdown.tsx";
import { StatusBadge } from "../../../components/StatusBadge.tsx";
import { ether } from "../../../format.ts";
import { useRefundClaim, type ClaimState } from "../../../hooks/useRefundClaim.ts";
import { useSampleOpening } from "../../../hooks/useSampleOpening.ts";
import { useTestDriveState } from "../../../hooks/useTestDriveState.ts";
import { useTransactor } from "../../../hooks/useTransactor.ts";
import type { BrowserKeptTestDrive } from "../../../testDrive/keptTestDrive.ts";
import { DisputeSteps } from "./DisputeSteps.tsx";

const DISPUTE_WORDS = { None: "", Claimed: "refund claimed: the seller may contest", Contested: "contested: open the drawn samples", Opened: "samples opened: the seller may prove a mismatch", BuyerWon: "refunded", SellerWon: "the seller won" } as const;

export function NextActions({ record, onKept }: { record: BrowserKeptTestDrive; onKept: (record: BrowserKeptTestDrive) => void }) {
  const testId = BigInt(record.testId!);
  const { data } = useTestDriveState(testId);
  const { state: claimState, claim } = useRefundClaim(onKept);
  const { state: openState, open } = useSampleOpening(onKept);
  const { transact, pending } = useTransactor();
  const correct = (record.predictions ?? []).filter((p, i) => p === record.labels[i]).length;
  const below = correct * 10_000 < record.claimedAccuracyBps * record.sampleCount;
  const test = data?.test;
  const dispute = data?.dispute;
  const claimable = below && test?.status === "Evaluated" && dispute?.phase === "None";
  // The market applies a deposit to a purchase only while the test-drive awaits its receipt or is evaluated (TestDrives._depositForPurchase).
  const buyable = test?.status === "AwaitingReceipt" || test?.status === "Evaluated";
  const openable = dispute?.phase === "Contested" && !dispute.closable;
  const busy = [claimState, openState].some(({ phase }) => phase === "proving" || phase === "sending");
  return (
    <section aria-labelledby="next-title" className="flex flex-col gap-3" data-testid="next-actions">
      <h3 id="next-title" className="text-lg font-semibold">
        What next
      </h3>
      {test ? (
        <p className="flex flex-wrap items-center gap-2 text-sm">
          Test-drive <a className="link" href={`#/explorer/test/${testId}`}>#{String(testId)}</a> on chain:
          <StatusBadge enumName="TestStatus" code={TEST_STATUSES.indexOf(test.status)} />
          {dispute && dispute.phase !== "None" ? <span data-testid="dispute-phase">{DISPUTE_WORDS[dispute.phase]}</span> : null}
          {test.deadline !== undefined && dispute?.phase === "None" ? (
            <span>
              · refund claims close in <Countdown deadline={test.deadline} />
            </span>
          ) : null}
        </p>
      ) : null}
      {dispute && dispute.phase !== "None" ? <DisputeSteps dispute={dispute} /> : null}
      <div className="flex flex-wrap gap-2">
        {buyable ? (
          <a className="btn btn-outline" href={`#/buy/${record.listingId}?test=${testId}`}>
            Buy with this deposit
          </a>
        ) : null}
        {claimable ? (
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void claim(record)}>
            {busy ? <span className="loading loading-spinner loading-sm" aria-hidden="true" /> : null}
            Claim refund by proof
          </button>
        ) : null}
        {openable ? (
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void open(record)}>
            {busy ? <span className="loading loading-spinner loading-sm" aria-hidden="true" /> : null}
            Open the drawn samples
          </button>
        ) : null}
        {dispute?.closable ? (
          <button
            type="button"
            className="btn btn-primary"
            disabled={pending}
            onClick={() => void transact({ description: `Close the refund dispute of test-drive #${testId}`, address: dispute.disputes, abi: refundDisputesAbi, functionName: "closeDispute", args: [testId] })}
          >
            Close the dispute ({dispute.winnerAtTimeout === "buyer" ? `refund ${ether(dispute.refund)}` : "the seller wins"})
          </button>
        ) : null}
      </div>
      <ProofStatus state={claimState} proving="Proving in this browser that the model scored below its claim" sending="Proof ready; confirm the claim in your wallet…" />
      <ProofStatus state={openState} proving="Proving in this browser the opening of the samples the contest drew" sending="Proof ready; confirm the opening in your wallet…" />
      {!below ? <p className="text-sm text-base-content/80">The model met its claim: buy it, or walk away (the deposit goes to the seller when the refund window ends).</p> : null}
    </section>
  );
}

/** A proof's progress in the Web Worker, then the wallet's turn, or the refusal in a sentence. */
function ProofStatus({ state, proving, sending }: { state: ClaimState; proving: string; sending: string }) {
  if (state.phase === "proving") {
    return (
      <div className="flex flex-col gap-1" data-testid="proving">
        <p role="status" className="text-sm">
          {proving}: {state.progress?.detail ?? "starting"}
        </p>
        <progress className="progress progress-primary w-full" aria-label="Proof progress" value={state.progress?.fraction ?? 0} max={1} />
      </div>
    );
  }
  if (state.phase === "sending") return <p role="status" className="text-sm">{sending}</p>;
  if (state.phase === "failed") {
    return (
      <p role="alert" className="alert alert-error alert-soft text-base-content text-sm" data-testid="claim-error">
        {state.error}
      </p>
    );
  }
  return null;
}
