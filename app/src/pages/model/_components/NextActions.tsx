/**
 * What the buyer can do after a test-drive, from its state on the chain: buy (the purchase
 * page; the deposit pays part of the price), claim a refund by proof when the model scored
 * below its claim (proved in a Web Worker, with progress), then follow the dispute's window
 * and close it when it ends; or walk away.
 */
import { TEST_STATUSES } from "@modelbazaar/sdk/actions";
import { refundDisputesAbi } from "@modelbazaar/sdk/abis";
import { Countdown } from "../../../components/Countdown.tsx";
import { StatusBadge } from "../../../components/StatusBadge.tsx";
import { ether } from "../../../format.ts";
import { useRefundClaim } from "../../../hooks/useRefundClaim.ts";
import { useTestDriveState } from "../../../hooks/useTestDriveState.ts";
import { useTransactor } from "../../../hooks/useTransactor.ts";
import type { KeptTestDrive } from "../../../testDrive/keptTestDrive.ts";

const DISPUTE_WORDS = { None: "", Claimed: "refund claimed: the seller may contest", Contested: "contested: open the drawn samples", Opened: "samples opened: the seller may prove a mismatch", BuyerWon: "refunded", SellerWon: "the seller won" } as const;

export function NextActions({ record, onKept }: { record: KeptTestDrive; onKept: (record: KeptTestDrive) => void }) {
  const testId = BigInt(record.testId!);
  const { data } = useTestDriveState(testId);
  const { state, claim } = useRefundClaim(onKept);
  const { transact, pending } = useTransactor();
  const correct = (record.predictions ?? []).filter((p, i) => p === record.labels[i]).length;
  const below = correct * 10_000 < record.claimedAccuracyBps * record.sampleCount;
  const test = data?.test;
  const dispute = data?.dispute;
  const claimable = below && test?.status === "Evaluated" && dispute?.phase === "None";
  const busy = state.phase === "proving" || state.phase === "sending";
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
          {dispute?.deadline !== undefined ? (
            <span>
              · window <Countdown deadline={dispute.deadline} />
            </span>
          ) : null}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <a className="btn btn-outline" href={`#/buy/${record.listingId}?test=${testId}`}>
          Buy with this deposit
        </a>
        {claimable ? (
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void claim(record)}>
            {busy ? <span className="loading loading-spinner loading-sm" aria-hidden="true" /> : null}
            Claim refund by proof
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
      {state.phase === "proving" ? (
        <div className="flex flex-col gap-1" data-testid="proving">
          <p role="status" className="text-sm">
            Proving in this browser that the model scored below its claim: {state.progress?.detail ?? "starting"}
          </p>
          <progress className="progress progress-primary w-full" aria-label="Proof progress" value={state.progress?.fraction ?? 0} max={1} />
        </div>
      ) : null}
      {state.phase === "sending" ? <p role="status" className="text-sm">Proof ready; confirm the claim in your wallet…</p> : null}
      {state.phase === "failed" ? (
        <p role="alert" className="alert alert-error alert-soft text-base-content text-sm" data-testid="claim-error">
          {state.error}
        </p>
      ) : null}
      {!below ? <p className="text-sm text-base-content/80">The model met its claim: buy it, or walk away (the deposit goes to the seller when the refund window ends).</p> : null}
    </section>
  );
}
