// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IModelRegistry} from "./IModelRegistry.sol";
import {ITestDrives} from "./ITestDrives.sol";

/**
 * @title IRefundDisputes
 * @notice Types, errors, events and functions of the refund of a test-drive (docs/DISPUTES.md
 * §7): the buyer claims a graded refund with a proof and bonds, the seller may contest with a
 * bond, 16 samples drawn from both parties' secrets are opened, and the seller wins if it proves
 * that its committed plan disagrees with an opened prediction, or that an opening is invalid.
 */
interface IRefundDisputes {
    /// @notice Where a dispute stands. `None`: no claim for this test-drive.
    enum DisputePhase {
        None,
        Claimed, // the buyer proved a shortfall; the seller may contest until the contest window ends
        Contested, // the seller contested; the buyer must open the drawn samples in the open window
        Opened, // the samples are open; the seller may prove a mismatch in the prove window
        BuyerWon, // the graded refund was paid (uncontested, or no seller proof in time)
        SellerWon // the seller proved a mismatch or an invalid opening, or the buyer never opened
    }

    /// @notice Why a dispute ended.
    enum DisputeEnd {
        Uncontested, // no contest in the contest window: refunded
        Unproven, // the samples were opened and the seller proved nothing in the prove window: refunded
        Mismatch, // the seller proved its plan disagrees with an opened prediction
        InvalidOpening, // the seller proved an opening does not open the buyer's commitment
        PredictionOutOfRange, // an opened prediction is not a class of the task
        NotOpened // the buyer did not open the samples in the open window
    }

    /// @notice A Groth16 verifier for test sets of up to `maxSamples` samples: the refund
    /// circuit Refund(N) and the opening circuit Open(N, 16) of the same N.
    struct SampleCircuits {
        uint32 maxSamples;
        address refundVerifier;
        address openVerifier;
    }

    /// @notice A contest circuit: it proves contests on plans of `family` with at most (exactly,
    /// for `SquareMlp`) `features` features and at most `classes` classes.
    struct ContestCircuit {
        IModelRegistry.PlanFamily family;
        uint32 features;
        uint16 classes;
        address verifier;
    }

    /// @notice Everything fixed at deployment.
    /// @param sampleCircuits at most two, ascending in `maxSamples`
    /// @param contestCircuits at most four
    /// @param contestWindow seconds after a claim during which the seller may contest
    /// @param openWindow seconds after a contest during which the samples must be opened
    /// @param proveWindow seconds after the opening during which the seller may prove a mismatch
    struct Config {
        SampleCircuits[] sampleCircuits;
        ContestCircuit[] contestCircuits;
        uint32 contestWindow;
        uint32 openWindow;
        uint32 proveWindow;
    }

    /// @notice A dispute's facts.
    /// @param buyer the test-drive's buyer
    /// @param listingId the listing
    /// @param sampleCount n
    /// @param phase where it stands
    /// @param phaseStartedAt when the phase began (its window runs from here)
    /// @param shortfallBps s, the proven shortfall below the claim
    /// @param predictionCommitment C_P, the buyer's commitment to its predictions
    /// @param buyerSecretHash H_b = keccak256(secret_b)
    /// @param sellerSecret secret_s, published with the contest
    /// @param featuresRoot D, the features root the buyer opened against
    /// @param openedHash keccak256(abi.encode(slotHashes)) of the opened samples
    struct Dispute {
        address buyer;
        uint32 listingId;
        uint16 sampleCount;
        DisputePhase phase;
        uint40 phaseStartedAt;
        uint16 shortfallBps;
        bytes32 predictionCommitment;
        bytes32 buyerSecretHash;
        bytes32 sellerSecret;
        uint256 featuresRoot;
        bytes32 openedHash;
    }

    /// @notice One opened sample as posted: its index and the buyer's prediction there (both
    /// checked against the challenge and the opening proof), σ_j, d_j's 10 siblings in D (leaf
    /// level first) and its features, two bytes each, big-endian.
    struct OpenedSample {
        uint16 index;
        uint16 prediction;
        uint256 sigma;
        uint256[10] siblings;
        bytes features;
    }

    /// @notice What the buyer posts to open a contested refund.
    /// @param buyerSecret secret_b (keccak256 of it is H_b)
    /// @param featuresRoot D
    /// @param labels the opened samples' labels, in draw order
    /// @param predictions the opened samples' predictions, in draw order
    /// @param samples σ_j, siblings and features of each opened sample, in draw order (their
    /// `index` and `prediction` must equal the drawn index and `predictions`)
    struct Opening {
        bytes32 buyerSecret;
        uint256 featuresRoot;
        uint16[] labels;
        uint16[] predictions;
        OpenedSample[] samples;
    }

    /// @notice The configuration is unusable (see the constructor).
    error RefundDisputesBadConfig();
    /// @notice The account is not the test-drive's buyer.
    error RefundDisputesNotBuyer(uint256 testId, address account);
    /// @notice The account is neither the listing's seller nor its worker signer.
    error RefundDisputesNotSeller(uint256 testId, address account);
    /// @notice The dispute is not in a phase (or window) that allows this.
    error RefundDisputesInvalidPhase(uint256 testId, DisputePhase phase);
    /// @notice The shortfall is zero or above the claimed accuracy.
    error RefundDisputesInvalidShortfall(uint16 shortfallBps, uint16 claimedAccuracyBps);
    /// @notice A commitment or secret is zero or not a BN254 field element where it must be.
    error RefundDisputesInvalidCommitment();
    /// @notice `msg.value` is not exactly what this step stakes.
    error RefundDisputesIncorrectPayment(uint256 sent, uint256 required);
    /// @notice No refund circuit holds this many samples.
    error RefundDisputesNotDisputable(uint256 testId, uint32 sampleCount);
    /// @notice The listing has no plan family, or no contest circuit proves its plan's shape.
    error RefundDisputesNotContestable(uint256 testId);
    /// @notice The proof does not verify.
    error RefundDisputesInvalidProof(uint256 testId);
    /// @notice secret_b does not hash to H_b.
    error RefundDisputesWrongSecret(uint256 testId);
    /// @notice The posted opening does not have the drawn samples' shape (count, index,
    /// prediction, feature bytes, or a signal outside the field).
    error RefundDisputesMalformedOpening(uint256 testId);
    /// @notice The posted sample is not one that was opened.
    error RefundDisputesUnknownSample(uint256 testId);
    /// @notice The current phase's window has not ended.
    error RefundDisputesNotClosable(uint256 testId, DisputePhase phase);

    /// @notice The buyer claimed a refund of `refund` wei for a proven shortfall of `shortfallBps`
    /// and staked `buyerBond` plus `freeSamplesFee` (F = min(n, freeSamples)·fee, at most the deposit).
    event RefundClaimed(
        uint256 indexed testId,
        uint16 shortfallBps,
        uint256 refund,
        bytes32 predictionCommitment,
        bytes32 buyerSecretHash,
        uint256 buyerBond,
        uint256 freeSamplesFee
    );
    /// @notice `contester` (seller or worker) contested the refund with `sellerSecret` and a bond.
    event RefundContested(uint256 indexed testId, address indexed contester, bytes32 sellerSecret, uint256 sellerBond);
    /// @notice The buyer opened the drawn samples. The whole opening is in the event, so the
    /// seller reads it from the logs however it was submitted (a contract wallet's call hides
    /// it from the transaction's own calldata).
    event SamplesOpened(
        uint256 indexed testId,
        bytes32 buyerSecret,
        uint256 featuresRoot,
        uint16[] indices,
        uint16[] labels,
        uint16[] predictions,
        OpenedSample[] samples
    );
    /// @notice The seller proved that its plan gives class `cls` on opened sample `index` (kind
    /// `Mismatch`), or that the opening is invalid (`InvalidOpening`).
    event MismatchProved(uint256 indexed testId, uint16 index, uint16 cls, DisputeEnd kind);
    /// @notice The dispute ended. The market's {ITestDrives-TestClosed} reports the payouts;
    /// `burned` is the buyer's bond when the seller won.
    event DisputeClosed(uint256 indexed testId, bool buyerWon, DisputeEnd reason, uint256 refund, uint256 burned);

    /// @notice Claims a graded refund of test-drive `testId`: the buyer proves with the Refund
    /// circuit that its accuracy on its committed test set, by its committed predictions, is
    /// below the claim less `shortfallBps`, and stakes the listing's buyer bond plus the free
    /// samples' fee.
    function claimRefund(
        uint256 testId,
        uint16 shortfallBps,
        bytes32 predictionCommitment,
        bytes32 buyerSecretHash,
        ITestDrives.Groth16Proof calldata proof
    ) external payable;

    /// @notice Contests a claimed refund with `sellerSecret` and the listing's seller bond.
    function contest(uint256 testId, bytes32 sellerSecret) external payable;

    /// @notice Opens the samples the two secrets draw, with an Open proof that binds their labels
    /// and predictions to the buyer's commitments. Only the buyer may.
    function openSamples(uint256 testId, Opening calldata opening, ITestDrives.Groth16Proof calldata proof) external;

    /// @notice Proves that the listing's committed plan gives `cls` on an opened sample, beating
    /// the buyer's prediction by more than the tolerance (`kind` = `Mismatch`), or that the
    /// opening is invalid (`kind` = `InvalidOpening`). The seller wins.
    function proveMismatch(
        uint256 testId,
        OpenedSample calldata sample,
        bytes32[] calldata slotHashes,
        uint16 cls,
        DisputeEnd kind,
        ITestDrives.Groth16Proof calldata proof
    ) external;

    /// @notice Ends a dispute whose current window has passed: refunds after an unused contest
    /// window or prove window, the seller wins after an unused open window.
    function closeDispute(uint256 testId) external;

    /// @notice A dispute's facts.
    function getDispute(uint256 testId) external view returns (Dispute memory);

    /// @notice The refund a proven shortfall of `shortfallBps` pays on `listingId`.
    function refundFor(uint256 listingId, uint16 shortfallBps) external view returns (uint256);

    /// @notice The indices the secrets draw for test-drive `testId` (docs/DISPUTES.md §7).
    function challengeIndices(uint256 testId, bytes32 buyerSecret, bytes32 sellerSecret)
        external
        view
        returns (uint16[] memory);

    /// @notice The contest circuit that proves contests on `listingId`, if any.
    function contestCircuitFor(uint256 listingId) external view returns (ContestCircuit memory);

    /// @notice The most samples a refund can be proven for.
    function maxSampleCount() external view returns (uint32);

    /// @notice The refund and opening circuits that prove a test-drive of `sampleCount` samples:
    /// the smallest size holding them. Reverts with {RefundDisputesNotDisputable} when none does.
    function sampleCircuitsFor(uint32 sampleCount) external view returns (SampleCircuits memory);
}
