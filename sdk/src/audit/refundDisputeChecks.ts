/**
 * Rule checks of the v2 refund disputes (docs/DISPUTES.md §4, §7; `RefundDisputes`), one finding
 * per rule and dispute, from the trail's events and the re-verified proofs
 * (refundDisputeProofs.ts):
 *
 * - `dispute.claim`: the Refund(N) proof of `claimRefund` re-verifies (canonical, the key of
 *   refund_<N>, signals [v2 context with s, C_D, C_P] rebuilt from chain data);
 * - `dispute.claim-terms`: claimed after the receipt and before the dispute deadline, with the
 *   deposit locked (`TestDisputed`) in the same transaction, 1 <= s <= claim,
 *   R = gradedRefund(D, s, w), stakes B_b and F = min(min(n, freeSamples)·fee, D) as the terms give;
 * - `dispute.contest`: by the seller or the listing's worker signer, inside the contest window,
 *   on a contestable listing, bond B_s;
 * - `dispute.indices`: keccak256(secret_b) = H_b and the opened indices are
 *   contestIndices(secret_b, secret_s, chainId, market, testId);
 * - `dispute.open`: the Open(N, 16) proof re-verifies (open_<N>, signals rebuilt from the event),
 *   after the contest and inside the open window;
 * - `dispute.openings`: the posted samples have the drawn indices, the posted predictions, the
 *   listing's feature width and field-sized σ and siblings, are the calldata's, and a contest
 *   names them by their hashes (openedSampleHash);
 * - `dispute.mismatch`: the contest proof re-verifies against the key of the listing's contest
 *   circuit (signals: plan commitment, D, meta, σ, siblings, feature words), inside the prove
 *   window, for the sample, class and kind the event names;
 * - `dispute.close`: ended only after the window of its phase (or by a proof, or by an opened
 *   prediction that is not a class, in the same call), with the winner its reason gives and the
 *   refund and burn of §4;
 * - `dispute.money`: the market's `TestClosed(Refunded | RefundRejected, toBuyer, toSeller)` and
 *   the penalty sink's credit are §4's table: R + B_b (+ B_s) / D − R + F, or F / D + B_s / B_b
 *   burned.
 *
 * A proof the audit could not re-verify (no calldata: a contract wallet's call; no key) fails
 * its check with the reason; it is never passed.
 */
import { isAddressEqual, keccak256, type Address } from "viem";
import { stateLabel } from "../labels/stateLabels.ts";
import { contestIndices, openedCount } from "../testDrives/challengeIndices.ts";
import { SNARK_SCALAR_FIELD } from "../testDrives/fieldElement.ts";
import { FEATURES_TREE_DEPTH } from "../testDrives/featuresRoot.ts";
import { gradedRefund } from "../testDrives/gradedRefund.ts";
import { refundShares } from "../testDrives/refundShares.ts";
import { openedSampleHash } from "../testDrives/sampleOpening.ts";
import { finding, type AuditFinding } from "./findings.ts";
import { before, DISPUTE_ENDS, type DisputeEnd, type ListingRecord, type MarketTrail, type RefundDisputeRecord, type Step, type TestRecord } from "./marketTrail.ts";
import type { RefundDisputeRecheck, StepProof } from "./refundDisputeProofs.ts";

/** Where the market credits burned ether (`MarketLedger.PENALTY_SINK`). */
export const PENALTY_SINK: Address = "0x000000000000000000000000000000000000dEaD";

/** `RefundDisputes`' windows, in seconds (deployment constants). */
export interface DisputeWindows {
  readonly contest: bigint;
  readonly open: bigint;
  readonly prove: bigint;
}

export interface DisputeRules {
  readonly chainId: number;
  readonly market: Address;
  /** Undefined when they could not be read: every timing is then reported as unchecked. */
  readonly windows?: DisputeWindows;
}

/** Checks every v2 dispute of the trail; `rechecks` holds each one's re-verified proofs. */
export function checkRefundDisputes(trail: MarketTrail, rules: DisputeRules, rechecks: ReadonlyMap<bigint, RefundDisputeRecheck>): AuditFinding[] {
  const out: AuditFinding[] = [];
  for (const dispute of trail.disputes.values()) {
    const test = trail.tests.get(dispute.testId);
    const listing = test && trail.listings.get(test.listingId);
    if (!test || !listing) {
      out.push(finding("dispute.claim", `test ${dispute.testId}`, false, "the dispute names a test-drive or listing that no event created"));
      continue;
    }
    out.push(...checkDispute(disputeFacts(test, listing, dispute, rules), rechecks.get(dispute.testId)));
  }
  return out;
}

/** What the rules of one dispute read: its records and the amounts §4 gives. */
interface DisputeFacts {
  readonly test: TestRecord;
  readonly listing: ListingRecord;
  readonly d: RefundDisputeRecord;
  readonly rules: DisputeRules;
  readonly subject: string;
  readonly n: number;
  readonly policy: ListingRecord["terms"]["disputePolicy"];
  /** R as the rules give it (undefined when the terms cannot grade one). */
  readonly refund: bigint | undefined;
  /** F = min(min(n, freeSamples)·feePerExtraSample, deposit). */
  readonly freeFee: bigint;
  /** Whether `at` is inside the window that began at `start` (undefined: the windows are unknown). */
  readonly inside: (start: Step, at: Step, window: keyof DisputeWindows) => boolean | undefined;
}

function disputeFacts(test: TestRecord, listing: ListingRecord, d: RefundDisputeRecord, rules: DisputeRules): DisputeFacts {
  const policy = listing.terms.disputePolicy;
  let refund: bigint | undefined;
  try {
    refund = gradedRefund(test.deposit, d.claim.shortfallBps, policy.refundSlopeBps);
  } catch {
    refund = undefined;
  }
  return {
    test,
    listing,
    d,
    rules,
    subject: `test ${test.testId}`,
    n: test.sampleCount,
    policy,
    refund,
    // F = min(min(n, freeSamples)·fee, deposit): what RefundDisputes stakes and pays.
    freeFee: refundShares(listing.terms.testPolicy, test.sampleCount).toSeller,
    inside: (start, at, window) => {
      const w = rules.windows?.[window];
      return w === undefined ? undefined : at.timestamp < start.timestamp + w;
    },
  };
}

function checkDispute(f: DisputeFacts, recheck: RefundDisputeRecheck | undefined): AuditFinding[] {
  const { d } = f;
  const out = [proofFinding("dispute.claim", f.subject, recheck?.claim, []), claimTerms(f)];
  if (d.contest) out.push(contest(f));
  if (d.opening) out.push(indices(f), openFinding(f, recheck), openings(f, recheck));
  if (d.mismatch) out.push(mismatch(f, recheck));
  if (d.closed) out.push(close(f), money(f));
  return out;
}

/** A proof step's finding: holds when the proof re-verified and no other rule of the step broke. */
function proofFinding(check: string, subject: string, proof: StepProof | undefined, problems: readonly string[]): AuditFinding {
  if (!proof) return finding(check, subject, false, [...problems, "no proof was re-verified"].join("; "));
  const ok = proof.verified && problems.length === 0;
  const detail = ok ? proof.detail : [...problems, proof.verified ? `(the proof verifies against ${proof.circuit}'s key)` : proof.detail].join("; ");
  return finding(check, subject, ok, detail);
}

const verdict = (check: string, subject: string, problems: readonly string[], ok: string): AuditFinding =>
  finding(check, subject, problems.length === 0, problems.length === 0 ? ok : problems.join("; "));

const isField = (x: bigint): boolean => x >= 0n && x < SNARK_SCALAR_FIELD;
const late = (what: string, at: Step, start: Step, window: bigint | undefined): string =>
  `${what} at ${at.timestamp}, after its window closed at ${window === undefined ? "?" : start.timestamp + window}`;

function claimTerms(f: DisputeFacts): AuditFinding {
  const { test, listing, d, policy } = f;
  const { claim } = d;
  const problems: string[] = [];
  if (!test.disputed || test.disputed.transactionHash !== claim.at.transactionHash) problems.push("the market did not lock the deposit (TestDisputed) in the claim's transaction");
  // The market locks only an Evaluated test-drive: after a receipt, before its dispute deadline.
  const returned = test.returns.some((r) => before(r.at, claim.at));
  const start = test.receipt && before(test.receipt.at, claim.at) ? test.receipt.at.timestamp : returned ? test.opened.timestamp : undefined;
  const deadline = start === undefined ? undefined : start + BigInt(listing.terms.testPolicy.disputeWindow);
  if (deadline === undefined) problems.push("claimed before any receipt");
  else if (claim.at.timestamp >= deadline) problems.push(`claimed at ${claim.at.timestamp}, after the dispute deadline ${deadline}`);
  const s = claim.shortfallBps;
  if (s < 1 || s > listing.terms.claimedAccuracyBps) problems.push(`the shortfall ${s} bps is not in 1..${listing.terms.claimedAccuracyBps} (the claim)`);
  if (f.refund === undefined) problems.push(`the listing's slope w = ${policy.refundSlopeBps} bps grades no refund`);
  else if (claim.refund !== f.refund) problems.push(`the claimed refund R is ${claim.refund}, gradedRefund(${test.deposit}, ${s}, ${policy.refundSlopeBps}) gives ${f.refund}`);
  if (claim.buyerBond !== policy.buyerBond) problems.push(`the buyer bond staked is ${claim.buyerBond}, the listing's is ${policy.buyerBond}`);
  if (claim.freeSamplesFee !== f.freeFee) problems.push(`the free samples' fee staked is ${claim.freeSamplesFee}, min(min(n, freeSamples)·fee, deposit) is ${f.freeFee}`);
  const cp = BigInt(claim.predictionCommitment);
  if (cp === 0n || !isField(cp)) problems.push("C_P is zero or not a BN254 field element");
  if (BigInt(claim.buyerSecretHash) === 0n) problems.push("H_b is zero");
  return verdict("dispute.claim-terms", f.subject, problems, `s = ${s} bps claimed in the dispute window; R = ${claim.refund} = gradedRefund(D, s, w = ${policy.refundSlopeBps}); staked B_b ${claim.buyerBond} + F ${claim.freeSamplesFee}`);
}

function contest(f: DisputeFacts): AuditFinding {
  const { listing, d, policy } = f;
  const c = d.contest!;
  const problems: string[] = [];
  const offer = listing.offers.filter((o) => before(o.at, c.at)).at(-1)?.offer ?? listing.offer;
  if (!isAddressEqual(c.contester, listing.seller) && !isAddressEqual(c.contester, offer.workerSigner)) {
    problems.push(`contested by ${c.contester}, neither the seller ${listing.seller} nor the listing's worker signer ${offer.workerSigner}`);
  }
  if (!before(d.claim.at, c.at)) problems.push("contested before the claim");
  const inside = f.inside(d.claim.at, c.at, "contest");
  if (inside === undefined) problems.push("the contest window could not be read, so the contest's time is unchecked");
  else if (!inside) problems.push(late("contested", c.at, d.claim.at, f.rules.windows?.contest));
  if (policy.planFamily === 0) problems.push("the listing has no plan family, so it cannot be contested");
  if (c.sellerBond !== policy.sellerBond) problems.push(`the seller bond staked is ${c.sellerBond}, the listing's is ${policy.sellerBond}`);
  if (BigInt(c.sellerSecret) === 0n) problems.push("secret_s is zero");
  return verdict("dispute.contest", f.subject, problems, `contested by ${c.contester} inside the contest window, bond ${c.sellerBond}`);
}

function indices(f: DisputeFacts): AuditFinding {
  const { d, test, rules } = f;
  const o = d.opening!;
  const problems: string[] = [];
  if (keccak256(o.buyerSecret) !== d.claim.buyerSecretHash) problems.push(`keccak256(secret_b) is not the H_b ${d.claim.buyerSecretHash} committed at the claim`);
  if (!d.contest) problems.push("opened without a contest, so there is no secret_s to draw with");
  else {
    const drawn = contestIndices({ secretB: o.buyerSecret, secretS: d.contest.sellerSecret, chainId: rules.chainId, market: rules.market, testId: test.testId }, f.n);
    if (drawn.join(",") !== o.indices.join(",")) problems.push(`the opened indices [${o.indices.join(", ")}] are not the ones the secrets draw, [${drawn.join(", ")}]`);
  }
  return verdict("dispute.indices", f.subject, problems, `keccak256(secret_b) = H_b; the ${o.indices.length} indices are the ones secret_b and secret_s draw`);
}

function openFinding(f: DisputeFacts, recheck: RefundDisputeRecheck | undefined): AuditFinding {
  const { d } = f;
  const o = d.opening!;
  const problems: string[] = [];
  if (!d.contest) problems.push("opened without a contest");
  else {
    const inside = f.inside(d.contest.at, o.at, "open");
    if (!before(d.contest.at, o.at)) problems.push("opened before the contest");
    else if (inside === undefined) problems.push("the open window could not be read, so the opening's time is unchecked");
    else if (!inside) problems.push(late("opened", o.at, d.contest.at, f.rules.windows?.open));
  }
  return proofFinding("dispute.open", f.subject, recheck?.open, problems);
}

function openings(f: DisputeFacts, recheck: RefundDisputeRecheck | undefined): AuditFinding {
  const { d, listing } = f;
  const o = d.opening!;
  const { featureCount, classCount } = listing.terms.task;
  const problems: string[] = [];
  const k = openedCount(f.n);
  if (o.indices.length !== k || o.labels.length !== k || o.predictions.length !== k || o.samples.length !== k) {
    problems.push(`${o.indices.length} indices, ${o.labels.length} labels, ${o.predictions.length} predictions and ${o.samples.length} samples were posted, a contest of ${f.n} samples opens ${k}`);
  }
  if (!isField(o.featuresRoot)) problems.push("D is not a BN254 field element");
  o.samples.forEach((s, t) => {
    if (s.index !== o.indices[t] || s.prediction !== o.predictions[t]) problems.push(`sample ${t} posts index ${s.index} and prediction ${s.prediction}, the opening ${o.indices[t]} and ${o.predictions[t]}`);
    // features are hex: "0x" then 4 digits per 2-byte feature
    if ((s.features.length - 2) / 2 !== 2 * featureCount) problems.push(`sample ${t} posts ${(s.features.length - 2) / 4} features, the listing has ${featureCount}`);
    if (!isField(s.sigma) || s.siblings.length !== FEATURES_TREE_DEPTH || !s.siblings.every(isField)) problems.push(`sample ${t}'s σ or siblings are not ${FEATURES_TREE_DEPTH + 1} field elements`);
  });
  const hashes = o.samples.map(openedSampleHash);
  const posted = recheck?.open?.calldata;
  if (posted) {
    const same =
      posted.buyerSecret === o.buyerSecret &&
      posted.featuresRoot === o.featuresRoot &&
      posted.labels.join(",") === o.labels.join(",") &&
      posted.predictions.join(",") === o.predictions.join(",") &&
      posted.samples.map(openedSampleHash).join(",") === hashes.join(",");
    if (!same) problems.push("the SamplesOpened event does not report the opening the openSamples calldata posted");
  }
  const proved = recheck?.contest?.calldata;
  if (proved) {
    if (proved.slotHashes.join(",") !== hashes.join(",")) problems.push("the contest's slot hashes are not the opened samples' hashes");
    if (!hashes.includes(openedSampleHash(proved.sample))) problems.push(`the contested sample (index ${proved.sample.index}) is not one of the opened samples`);
  }
  const outOfRange = o.predictions.some((p) => p >= classCount);
  if (outOfRange && !(d.closed?.reason === "PredictionOutOfRange" && d.closed.at.transactionHash === o.at.transactionHash)) {
    problems.push(`an opened prediction is not one of the ${classCount} classes, yet the opening did not end the dispute for the seller`);
  }
  const unread = posted ? "" : " (the openSamples calldata could not be read: the event alone was checked)";
  return verdict("dispute.openings", f.subject, problems, `${o.samples.length} samples posted at the drawn indices with the opened predictions, ${featureCount} features each; their hashes are the ones a contest names${unread}`);
}

function mismatch(f: DisputeFacts, recheck: RefundDisputeRecheck | undefined): AuditFinding {
  const { d } = f;
  const m = d.mismatch!;
  const problems: string[] = [];
  if (m.kind !== "Mismatch" && m.kind !== "InvalidOpening") problems.push(`MismatchProved names the kind ${m.kind}, not Mismatch or InvalidOpening`);
  if (!d.opening || !before(d.opening.at, m.at)) problems.push("a mismatch was proven before any opening");
  else {
    const inside = f.inside(d.opening.at, m.at, "prove");
    if (inside === undefined) problems.push("the prove window could not be read, so the proof's time is unchecked");
    else if (!inside) problems.push(late("proven", m.at, d.opening.at, f.rules.windows?.prove));
  }
  const call = recheck?.contest?.calldata;
  if (call && (call.sample.index !== m.index || call.cls !== m.cls || DISPUTE_ENDS[call.kind] !== m.kind)) {
    problems.push(`MismatchProved reports sample ${m.index}, class ${m.cls}, ${m.kind}; the calldata proves sample ${call.sample.index}, class ${call.cls}, ${DISPUTE_ENDS[call.kind] ?? call.kind}`);
  }
  return proofFinding("dispute.mismatch", f.subject, recheck?.contest, problems);
}

/** Who wins each end (docs/DISPUTES.md §7). */
const BUYER_WINS: Readonly<Record<DisputeEnd, boolean>> = { Uncontested: true, Unproven: true, Mismatch: false, InvalidOpening: false, PredictionOutOfRange: false, NotOpened: false };

function close(f: DisputeFacts): AuditFinding {
  const { d, policy, listing } = f;
  const c = d.closed!;
  const problems: string[] = [];
  if (c.buyerWon !== BUYER_WINS[c.reason]) problems.push(`ended as ${c.reason} with the ${c.buyerWon ? "buyer" : "seller"} winning; ${c.reason} is the ${BUYER_WINS[c.reason] ? "buyer" : "seller"}'s win`);
  const after = (start: Step | undefined, window: "contest" | "open" | "prove", phase: string) => {
    if (!start) return problems.push(`ended as ${c.reason} without the ${phase} it ends`);
    const inside = f.inside(start, c.at, window);
    if (inside === undefined) problems.push(`the ${window} window could not be read, so the close's time is unchecked`);
    else if (inside) problems.push(`closed at ${c.at.timestamp}, before the ${window} window ended at ${start.timestamp + f.rules.windows![window]}`);
  };
  const sameTx = (step: Step | undefined) => step !== undefined && step.transactionHash === c.at.transactionHash;
  switch (c.reason) {
    case "Uncontested":
      if (d.contest) problems.push("ended as uncontested although it was contested");
      after(d.claim.at, "contest", "claim");
      break;
    case "NotOpened":
      if (d.opening) problems.push("ended as not opened although the samples were opened");
      after(d.contest?.at, "open", "contest");
      break;
    case "Unproven":
      if (d.mismatch) problems.push("ended as unproven although a mismatch was proven");
      after(d.opening?.at, "prove", "opening");
      break;
    case "Mismatch":
    case "InvalidOpening":
      if (!sameTx(d.mismatch?.at) || d.mismatch?.kind !== c.reason) problems.push(`ended as ${c.reason} without a MismatchProved of that kind in the same transaction`);
      break;
    case "PredictionOutOfRange":
      if (!sameTx(d.opening?.at) || !d.opening!.predictions.some((p) => p >= listing.terms.task.classCount)) problems.push("ended for an opened prediction out of range, but no opening in the same transaction posted one");
      break;
  }
  const refund = c.buyerWon ? f.refund : 0n;
  if (c.refund !== refund) problems.push(`DisputeClosed reports the refund ${c.refund}, the rules give ${refund}`);
  const burned = c.buyerWon ? 0n : policy.buyerBond;
  if (c.burned !== burned) problems.push(`DisputeClosed reports ${c.burned} burned, the rules give ${burned}`);
  return verdict("dispute.close", f.subject, problems, `ended as ${c.reason} (${c.buyerWon ? "the buyer" : "the seller"} won) when its phase allowed`);
}

function money(f: DisputeFacts): AuditFinding {
  const { d, test, policy } = f;
  const c = d.closed!;
  const closing = test.closings.find((x) => x.at.transactionHash === c.at.transactionHash);
  if (!closing) return finding("dispute.money", f.subject, false, "the market reported no TestClosed in the settlement's transaction");
  const D = test.deposit;
  const R = f.refund ?? 0n;
  const F = f.freeFee;
  const Bb = policy.buyerBond;
  const Bs = d.contest ? policy.sellerBond : 0n;
  const [outcome, toBuyer, toSeller, sink] = c.buyerWon ? ["Refunded", R + Bb + Bs, D - R + F, 0n] : ["RefundRejected", F, D + Bs, Bb];
  const burned = (closing.credits ?? []).filter((x) => isAddressEqual(x.payee, PENALTY_SINK)).reduce((a, x) => a + x.amount, 0n);
  const ok = closing.outcome === outcome && closing.toBuyer === toBuyer && closing.toSeller === toSeller && burned === sink;
  const paid = `${closing.outcome}: ${closing.toBuyer} to the buyer, ${closing.toSeller} to the seller, ${burned} burned`;
  return finding("dispute.money", f.subject, ok, ok ? paid : `${paid}; §4 gives ${outcome}: ${toBuyer}, ${toSeller} and ${sink}`);
}

/** What the live (unsettled) disputes stake in `RefundDisputes`: B_b + F, and B_s once contested. */
export function liveDisputeStakes(trail: MarketTrail): bigint {
  let staked = 0n;
  for (const d of trail.disputes.values()) {
    if (!d.closed) staked += d.claim.buyerBond + d.claim.freeSamplesFee + (d.contest?.sellerBond ?? 0n);
  }
  return staked;
}

/** One row per v2 dispute for the report. */
export interface RefundDisputeRow {
  testId: bigint;
  listingId: bigint;
  shortfallBps: number;
  refund: bigint;
  /** The dispute's phase by its label ("refund claimed", "contested", "samples opened"), or who won and why ("buyer won (not contested)", "seller won (mismatch proven)", …). */
  stage: string;
  /** Per proof: "verified (circuit)", "NOT VERIFIED", "NOT RE-VERIFIED" (no calldata or key), or "-". */
  claimProof: string;
  openProof: string;
  contestProof: string;
}

export function refundDisputeRows(trail: MarketTrail, rechecks: ReadonlyMap<bigint, RefundDisputeRecheck>): RefundDisputeRow[] {
  const cell = (p: StepProof | undefined): string => (!p ? "-" : p.verified ? `verified (${p.circuit})` : p.checked ? "NOT VERIFIED" : "NOT RE-VERIFIED");
  return [...trail.disputes.values()].map((d) => {
    const r = rechecks.get(d.testId);
    const phase = d.closed ? (d.closed.buyerWon ? "BuyerWon" : "SellerWon") : d.opening ? "Opened" : d.contest ? "Contested" : "Claimed";
    const stage = `${stateLabel("DisputePhase", phase)}${d.closed ? ` (${stateLabel("DisputeEnd", d.closed.reason)})` : ""}`;
    return {
      testId: d.testId,
      listingId: trail.tests.get(d.testId)?.listingId ?? 0n,
      shortfallBps: d.claim.shortfallBps,
      refund: d.claim.refund,
      stage,
      claimProof: cell(r?.claim),
      openProof: cell(r?.open),
      contestProof: cell(r?.contest),
    };
  });
}
