// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TransientReentrancyGuard} from "../utils/TransientReentrancyGuard.sol";
import {IModelRegistry} from "../interfaces/IModelRegistry.sol";
import {IRefundDisputes} from "../interfaces/IRefundDisputes.sol";
import {ITestDrives} from "../interfaces/ITestDrives.sol";
import {DisputeContext} from "../libraries/DisputeContext.sol";
import {Groth16Call} from "../libraries/Groth16Call.sol";

/**
 * @title RefundDisputes
 * @notice The refund of a test-drive (docs/DISPUTES.md §4, §7): a graded refund claimed with
 * a proof over committed predictions, contested by the seller with a bond, decided on samples
 * drawn from both parties' secrets.
 * @dev The market ({ITestDrives}) creates this contract in its constructor and trusts it alone
 * to lock a test-drive's deposit for a dispute and to settle it; the deposit never leaves the
 * market. This contract holds only what a dispute stakes (the buyer's bond and free samples'
 * fee, the seller's bond) and hands all of it to the market when the dispute ends, in the same
 * call that pays the deposit, so every payout is one credit in the market's ledger. Amounts are
 * read from the listing's immutable terms when needed, never stored.
 *
 * Payouts (R = deposit·min(s, w)/w, F = the free samples' fee, B_b and B_s the bonds):
 * | end | buyer | seller | burned |
 * |---|---|---|---|
 * | uncontested | R + B_b | deposit − R + F | — |
 * | contested, nothing proven | R + B_b + B_s | deposit − R + F | — |
 * | seller proved, or the buyer did not open | F | deposit + B_s | B_b |
 */
contract RefundDisputes is IRefundDisputes, TransientReentrancyGuard {
    /// @notice How many samples a contest opens at most (k of Open(N, k)).
    uint256 public constant OPEN_SLOTS = 16;
    /// @notice The depth of the features tree; an opened sample carries this many siblings.
    uint256 public constant FEATURES_TREE_DEPTH = 10;
    /// @notice Indices are drawn until this many draws at most (never reached for n >= 32).
    uint256 public constant MAX_DRAWS = 4096;

    uint256 private constant SNARK_SCALAR_FIELD =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint256 private constant MAX_WINDOW = 30 days;
    /// @dev Public-signal lane packings (sdk/src/testDrives/openCircuitInput.ts, contestMeta.ts).
    uint256 private constant INDICES_PER_WORD = 15;
    uint256 private constant PAIRS_PER_WORD = 7;
    uint256 private constant FEATURES_PER_WORD = 15;

    /// @notice The market whose test-drives this contract disputes.
    ITestDrives public immutable market;
    /// @notice The listings.
    IModelRegistry public immutable registry;
    /// @notice Seconds the seller has to contest after a claim.
    uint32 public immutable contestWindow;
    /// @notice Seconds the buyer has to open after a contest.
    uint32 public immutable openWindow;
    /// @notice Seconds the seller has to prove a mismatch after the opening.
    uint32 public immutable proveWindow;

    uint256 private immutable _sampleCircuitCount;
    uint32 private immutable _maxSamples0;
    uint32 private immutable _maxSamples1;
    address private immutable _refundVerifier0;
    address private immutable _refundVerifier1;
    address private immutable _openVerifier0;
    address private immutable _openVerifier1;

    uint256 private immutable _contestCircuitCount;
    bytes32 private immutable _contestCircuit0;
    bytes32 private immutable _contestCircuit1;
    bytes32 private immutable _contestCircuit2;
    bytes32 private immutable _contestCircuit3;

    mapping(uint256 testId => Dispute) private _disputes;

    /**
     * @param market_ the market (the deployer)
     * @param registry_ its registry
     * @param config one or two sample circuit sizes (ascending, verifiers with code), at most
     * four contest circuits (a plan family, non-zero shape, a verifier with code), windows in
     * 1..30 days
     */
    constructor(ITestDrives market_, IModelRegistry registry_, Config memory config) {
        market = market_;
        registry = registry_;
        uint256 samples = config.sampleCircuits.length;
        uint256 contests = config.contestCircuits.length;
        if (samples == 0 || samples > 2 || contests > 4) revert RefundDisputesBadConfig();
        SampleCircuits[2] memory s;
        for (uint256 i; i < samples; ++i) {
            s[i] = config.sampleCircuits[i];
            if (
                s[i].maxSamples == 0 || (i > 0 && s[i].maxSamples <= s[i - 1].maxSamples)
                    || s[i].refundVerifier.code.length == 0 || s[i].openVerifier.code.length == 0
            ) revert RefundDisputesBadConfig();
        }
        _sampleCircuitCount = samples;
        (_maxSamples0, _refundVerifier0, _openVerifier0) = (s[0].maxSamples, s[0].refundVerifier, s[0].openVerifier);
        (_maxSamples1, _refundVerifier1, _openVerifier1) = (s[1].maxSamples, s[1].refundVerifier, s[1].openVerifier);

        bytes32[4] memory c;
        for (uint256 i; i < contests; ++i) {
            ContestCircuit memory cc = config.contestCircuits[i];
            if (
                cc.family == IModelRegistry.PlanFamily.None || cc.features == 0 || cc.classes < 2
                    || cc.verifier.code.length == 0
            ) revert RefundDisputesBadConfig();
            c[i] = _packContestCircuit(cc);
        }
        _contestCircuitCount = contests;
        (_contestCircuit0, _contestCircuit1, _contestCircuit2, _contestCircuit3) = (c[0], c[1], c[2], c[3]);

        uint32[3] memory windows = [config.contestWindow, config.openWindow, config.proveWindow];
        for (uint256 i; i < 3; ++i) {
            if (windows[i] == 0 || windows[i] > MAX_WINDOW) revert RefundDisputesBadConfig();
        }
        (contestWindow, openWindow, proveWindow) = (config.contestWindow, config.openWindow, config.proveWindow);
    }

    /// @inheritdoc IRefundDisputes
    /// @dev Emits {RefundClaimed}; the market emits {ITestDrives-TestDisputed}. Requirements: the
    /// caller is the buyer; the test-drive is `Evaluated`; 1 <= s <= claim; C_P a non-zero field
    /// element, H_b non-zero; `msg.value` is the buyer bond plus F = min(min(n, freeSamples)·fee, deposit);
    /// the Refund proof verifies against [context with s, C_D, C_P].
    function claimRefund(
        uint256 testId,
        uint16 shortfallBps,
        bytes32 predictionCommitment,
        bytes32 buyerSecretHash,
        ITestDrives.Groth16Proof calldata proof
    ) external payable nonReentrant {
        if (_disputes[testId].phase != DisputePhase.None) {
            revert RefundDisputesInvalidPhase(testId, _disputes[testId].phase);
        }
        ITestDrives.TestDrive memory t = market.getTest(testId);
        if (msg.sender != t.buyer) revert RefundDisputesNotBuyer(testId, msg.sender);
        IModelRegistry.DisputeTerms memory terms = registry.disputeTerms(t.listingId);
        if (shortfallBps == 0 || shortfallBps > terms.claimedAccuracyBps) {
            revert RefundDisputesInvalidShortfall(shortfallBps, terms.claimedAccuracyBps);
        }
        if (
            predictionCommitment == bytes32(0) || uint256(predictionCommitment) >= SNARK_SCALAR_FIELD
                || buyerSecretHash == bytes32(0)
        ) revert RefundDisputesInvalidCommitment();
        IModelRegistry.DisputePolicy memory policy = registry.disputePolicy(t.listingId);
        uint256 required = policy.buyerBond + _freeSamplesFee(t.listingId, t.sampleCount);
        if (msg.value != required) revert RefundDisputesIncorrectPayment(msg.value, required);
        (address refundVerifier,) = _sampleCircuitsFor(testId, t.sampleCount);

        uint256[] memory signals = new uint256[](3);
        signals[0] = _context(testId, t, terms, shortfallBps);
        signals[1] = uint256(t.dataCommitment);
        signals[2] = uint256(predictionCommitment);
        if (!Groth16Call.verify(refundVerifier, proof.a, proof.b, proof.c, signals)) {
            revert RefundDisputesInvalidProof(testId);
        }

        Dispute storage d = _disputes[testId];
        (d.buyer, d.listingId, d.sampleCount) = (t.buyer, t.listingId, t.sampleCount);
        _setPhase(d, DisputePhase.Claimed);
        d.shortfallBps = shortfallBps;
        d.predictionCommitment = predictionCommitment;
        d.buyerSecretHash = buyerSecretHash;
        emit RefundClaimed(
            testId,
            shortfallBps,
            _refund(terms.deposit, shortfallBps, policy.refundSlopeBps),
            predictionCommitment,
            buyerSecretHash,
            policy.buyerBond,
            msg.value - policy.buyerBond
        );
        market.lockForDispute(testId);
    }

    /// @inheritdoc IRefundDisputes
    /// @dev Emits {RefundContested}. Requirements: the refund is claimed and its contest window
    /// open; the caller is the listing's seller or worker signer; the listing's plan has a
    /// contest circuit; `sellerSecret` is non-zero; `msg.value` is the seller bond.
    function contest(uint256 testId, bytes32 sellerSecret) external payable nonReentrant {
        Dispute storage d = _inWindow(testId, DisputePhase.Claimed, contestWindow);
        (address seller, address workerSigner) = registry.workerOf(d.listingId);
        if (msg.sender != seller && msg.sender != workerSigner) revert RefundDisputesNotSeller(testId, msg.sender);
        IModelRegistry.DisputePolicy memory policy = registry.disputePolicy(d.listingId);
        (address verifier,) = _contestCircuit(d.listingId, policy.planFamily);
        if (verifier == address(0)) revert RefundDisputesNotContestable(testId);
        if (sellerSecret == bytes32(0)) revert RefundDisputesInvalidCommitment();
        if (msg.value != policy.sellerBond) revert RefundDisputesIncorrectPayment(msg.value, policy.sellerBond);
        _setPhase(d, DisputePhase.Contested);
        d.sellerSecret = sellerSecret;
        emit RefundContested(testId, msg.sender, sellerSecret, msg.value);
    }

    /// @inheritdoc IRefundDisputes
    /// @dev Emits {SamplesOpened} with the whole opening, or ends the dispute for the seller
    /// ({DisputeClosed}) when an opened prediction is not a class of the task. Stores D and the
    /// hash of the samples' hashes (`keccak256(abi.encode(index, prediction, σ, siblings,
    /// features))` each), which {proveMismatch} is given back. Only the buyer may call: the Open
    /// proof binds the labels and predictions but not σ, the paths or the features, so a copy
    /// of the buyer's transaction with one of those altered, landed first, would be an
    /// "invalid opening" the seller wins on. Requirements: the caller is the buyer; the refund is
    /// contested and its open window open; keccak256(secret_b)
    /// is H_b; one opened sample per drawn index, in draw order, each with the drawn index, the
    /// posted prediction, 2·featureCount feature bytes and σ and siblings in the field; the Open
    /// proof verifies against [context, C_D, C_P, indices, D, (label, prediction) pairs].
    function openSamples(uint256 testId, Opening calldata opening, ITestDrives.Groth16Proof calldata proof)
        external
        nonReentrant
    {
        Dispute storage d = _inWindow(testId, DisputePhase.Contested, openWindow);
        if (msg.sender != d.buyer) revert RefundDisputesNotBuyer(testId, msg.sender);
        if (keccak256(abi.encode(opening.buyerSecret)) != d.buyerSecretHash) revert RefundDisputesWrongSecret(testId);
        uint16[] memory indices = _challengeIndices(testId, d.sampleCount, opening.buyerSecret, d.sellerSecret);
        IModelRegistry.DisputeTerms memory terms = registry.disputeTerms(d.listingId);
        bytes32[] memory slotHashes = _checkOpening(testId, opening, indices, terms.featureCount);

        (, address openVerifier) = _sampleCircuitsFor(testId, d.sampleCount);
        uint256[] memory signals = _openSignals(testId, d, terms, indices, opening);
        if (!Groth16Call.verify(openVerifier, proof.a, proof.b, proof.c, signals)) {
            revert RefundDisputesInvalidProof(testId);
        }

        _setPhase(d, DisputePhase.Opened);
        d.featuresRoot = opening.featuresRoot;
        d.openedHash = keccak256(abi.encode(slotHashes));
        _emitOpened(testId, opening, indices);
        for (uint256 i; i < indices.length; ++i) {
            if (opening.predictions[i] >= terms.classCount) {
                _settle(testId, d, false, DisputeEnd.PredictionOutOfRange);
                return;
            }
        }
    }

    /// @inheritdoc IRefundDisputes
    /// @dev Emits {MismatchProved} and {DisputeClosed}. Anyone may call (the seller wins).
    /// Requirements: the samples are open and the prove window open; `slotHashes` are the
    /// opened samples' and `sample` is one of them; `kind` is `Mismatch` or `InvalidOpening`;
    /// the contest proof verifies against [plan commitment, D, meta, σ, siblings, features].
    function proveMismatch(
        uint256 testId,
        OpenedSample calldata sample,
        bytes32[] calldata slotHashes,
        uint16 cls,
        DisputeEnd kind,
        ITestDrives.Groth16Proof calldata proof
    ) external nonReentrant {
        Dispute storage d = _inWindow(testId, DisputePhase.Opened, proveWindow);
        if (keccak256(abi.encode(slotHashes)) != d.openedHash) revert RefundDisputesUnknownSample(testId);
        bytes32 sampleHash = _sampleHash(sample);
        bool found;
        for (uint256 i; i < slotHashes.length && !found; ++i) {
            found = slotHashes[i] == sampleHash;
        }
        if (!found) revert RefundDisputesUnknownSample(testId);
        if (kind != DisputeEnd.Mismatch && kind != DisputeEnd.InvalidOpening) revert RefundDisputesInvalidProof(testId);

        IModelRegistry.DisputePolicy memory policy = registry.disputePolicy(d.listingId);
        (address verifier, uint256 features) = _contestCircuit(d.listingId, policy.planFamily);
        uint256[] memory signals = _contestSignals(d, policy, sample, cls, kind, features);
        if (!Groth16Call.verify(verifier, proof.a, proof.b, proof.c, signals)) revert RefundDisputesInvalidProof(testId);
        emit MismatchProved(testId, sample.index, cls, kind);
        _settle(testId, d, false, kind);
    }

    /// @inheritdoc IRefundDisputes
    /// @dev Emits {DisputeClosed}. Anyone may call. Requirements: the current phase's window has
    /// passed (claimed: contest window, buyer wins; contested: open window, seller wins;
    /// opened: prove window, buyer wins).
    function closeDispute(uint256 testId) external nonReentrant {
        Dispute storage d = _disputes[testId];
        DisputePhase phase = d.phase;
        uint256 window = phase == DisputePhase.Claimed
            ? contestWindow
            : phase == DisputePhase.Contested ? openWindow : phase == DisputePhase.Opened ? proveWindow : 0;
        if (window == 0 || block.timestamp < uint256(d.phaseStartedAt) + window) {
            revert RefundDisputesNotClosable(testId, phase);
        }
        if (phase == DisputePhase.Claimed) _settle(testId, d, true, DisputeEnd.Uncontested);
        else if (phase == DisputePhase.Contested) _settle(testId, d, false, DisputeEnd.NotOpened);
        else _settle(testId, d, true, DisputeEnd.Unproven);
    }

    /// @inheritdoc IRefundDisputes
    function getDispute(uint256 testId) external view returns (Dispute memory) {
        return _disputes[testId];
    }

    /// @inheritdoc IRefundDisputes
    function refundFor(uint256 listingId, uint16 shortfallBps) external view returns (uint256) {
        return _refund(
            registry.disputeTerms(listingId).deposit, shortfallBps, registry.disputePolicy(listingId).refundSlopeBps
        );
    }

    /// @inheritdoc IRefundDisputes
    function challengeIndices(uint256 testId, bytes32 buyerSecret, bytes32 sellerSecret)
        external
        view
        returns (uint16[] memory)
    {
        return _challengeIndices(testId, market.getTest(testId).sampleCount, buyerSecret, sellerSecret);
    }

    /// @inheritdoc IRefundDisputes
    function contestCircuitFor(uint256 listingId) external view returns (ContestCircuit memory circuit) {
        IModelRegistry.PlanFamily family = registry.disputePolicy(listingId).planFamily;
        IModelRegistry.DisputeTerms memory terms = registry.disputeTerms(listingId);
        bytes32 packed = _findContestCircuit(family, terms.featureCount, terms.classCount);
        if (packed != bytes32(0)) circuit = _unpackContestCircuit(packed);
    }

    /// @inheritdoc IRefundDisputes
    function maxSampleCount() external view returns (uint32) {
        return _sampleCircuitCount == 1 ? _maxSamples0 : _maxSamples1;
    }

    /// @inheritdoc IRefundDisputes
    function sampleCircuitsFor(uint32 sampleCount) external view returns (SampleCircuits memory circuits) {
        (address refund, address open) = _sampleCircuitsFor(0, sampleCount);
        circuits.maxSamples = sampleCount <= _maxSamples0 ? _maxSamples0 : _maxSamples1;
        (circuits.refundVerifier, circuits.openVerifier) = (refund, open);
    }

    /// @dev Ends the dispute: hands the market everything staked with the payout split of the
    /// contract's table. Effects first; the market only credits (never sends), so no payee runs.
    function _settle(uint256 testId, Dispute storage d, bool buyerWon, DisputeEnd reason) private {
        _setPhase(d, buyerWon ? DisputePhase.BuyerWon : DisputePhase.SellerWon);
        IModelRegistry.DisputePolicy memory policy = registry.disputePolicy(d.listingId);
        uint256 freeFee = _freeSamplesFee(d.listingId, d.sampleCount);
        bool contested = reason != DisputeEnd.Uncontested;
        uint256 sellerBond = contested ? policy.sellerBond : 0;
        uint256 refund;
        uint256 buyerExtra;
        uint256 sellerExtra;
        uint256 burned;
        if (buyerWon) {
            refund = _refund(registry.disputeTerms(d.listingId).deposit, d.shortfallBps, policy.refundSlopeBps);
            (buyerExtra, sellerExtra) = (policy.buyerBond + sellerBond, freeFee);
        } else {
            (buyerExtra, sellerExtra, burned) = (freeFee, sellerBond, policy.buyerBond);
        }
        emit DisputeClosed(testId, buyerWon, reason, refund, burned);
        market.settleDispute{value: buyerExtra + sellerExtra + burned}(testId, buyerWon, refund, buyerExtra, sellerExtra);
    }

    function _emitOpened(uint256 testId, Opening calldata opening, uint16[] memory indices) private {
        emit SamplesOpened(
            testId, opening.buyerSecret, opening.featuresRoot, indices, opening.labels, opening.predictions, opening.samples
        );
    }

    /// @dev Checks the posted opening's shape against the drawn indices and returns each
    /// sample's hash.
    function _checkOpening(uint256 testId, Opening calldata opening, uint16[] memory indices, uint32 featureCount)
        private
        pure
        returns (bytes32[] memory slotHashes)
    {
        uint256 k = indices.length;
        if (
            opening.labels.length != k || opening.predictions.length != k || opening.samples.length != k
                || opening.featuresRoot >= SNARK_SCALAR_FIELD
        ) revert RefundDisputesMalformedOpening(testId);
        slotHashes = new bytes32[](k);
        for (uint256 i; i < k; ++i) {
            OpenedSample calldata s = opening.samples[i];
            if (
                s.index != indices[i] || s.prediction != opening.predictions[i] || s.features.length != 2 * uint256(featureCount)
                    || s.sigma >= SNARK_SCALAR_FIELD
            ) revert RefundDisputesMalformedOpening(testId);
            for (uint256 j; j < FEATURES_TREE_DEPTH; ++j) {
                if (s.siblings[j] >= SNARK_SCALAR_FIELD) revert RefundDisputesMalformedOpening(testId);
            }
            slotHashes[i] = _sampleHash(s);
        }
    }

    /// @dev Open(N, 16)'s public signals: [context, C_D, C_P, 2 index words, D, 3 pair words].
    function _openSignals(
        uint256 testId,
        Dispute storage d,
        IModelRegistry.DisputeTerms memory terms,
        uint16[] memory indices,
        Opening calldata opening
    ) private view returns (uint256[] memory signals) {
        ITestDrives.TestDrive memory t = market.getTest(testId);
        signals = new uint256[](9);
        signals[0] = _context(testId, t, terms, d.shortfallBps);
        signals[1] = uint256(t.dataCommitment);
        signals[2] = uint256(d.predictionCommitment);
        uint256 k = indices.length;
        for (uint256 i; i < k; ++i) {
            signals[3 + i / INDICES_PER_WORD] |= uint256(indices[i]) << (16 * (i % INDICES_PER_WORD));
            uint256 pair = uint256(opening.labels[i]) | (uint256(opening.predictions[i]) << 16);
            signals[6 + i / PAIRS_PER_WORD] |= pair << (32 * (i % PAIRS_PER_WORD));
        }
        signals[3 + OPEN_SLOTS / INDICES_PER_WORD] |= k << (16 * (OPEN_SLOTS % INDICES_PER_WORD));
        signals[5] = opening.featuresRoot;
    }

    /// @dev A contest circuit's public signals: [plan commitment, D, meta, σ, 10 siblings,
    /// ⌈F/15⌉ feature words] (sdk/src/disputes/contestMeta.ts for the meta's layout).
    function _contestSignals(
        Dispute storage d,
        IModelRegistry.DisputePolicy memory policy,
        OpenedSample calldata sample,
        uint16 cls,
        DisputeEnd kind,
        uint256 circuitFeatures
    ) private view returns (uint256[] memory signals) {
        IModelRegistry.DisputeTerms memory terms = registry.disputeTerms(d.listingId);
        uint256 words = (circuitFeatures + FEATURES_PER_WORD - 1) / FEATURES_PER_WORD;
        signals = new uint256[](14 + words);
        signals[0] = uint256(policy.planCommitment);
        signals[1] = d.featuresRoot;
        signals[2] = uint256(sample.index) | (uint256(sample.prediction) << 16) | (uint256(cls) << 32)
            | (kind == DisputeEnd.InvalidOpening ? 1 << 48 : 0) | (uint256(terms.featureCount) << 49)
            | (uint256(terms.featureBits) << 65) | (uint256(terms.classCount) << 73)
            | (uint256(policy.contestToleranceQ) << 89);
        signals[3] = sample.sigma;
        for (uint256 j; j < FEATURES_TREE_DEPTH; ++j) {
            signals[4 + j] = sample.siblings[j];
        }
        bytes calldata features = sample.features;
        uint256 count = features.length / 2;
        for (uint256 i; i < count; ++i) {
            uint256 q = (uint256(uint8(features[2 * i])) << 8) | uint8(features[2 * i + 1]);
            signals[14 + i / FEATURES_PER_WORD] |= q << (16 * (i % FEATURES_PER_WORD));
        }
    }

    /// @dev The k_eff = min(16, n) distinct indices of keccak256(seed, t) mod n, t = 0, 1, …, in
    /// draw order (sdk/src/testDrives/challengeIndices.ts).
    function _challengeIndices(uint256 testId, uint256 n, bytes32 buyerSecret, bytes32 sellerSecret)
        private
        view
        returns (uint16[] memory indices)
    {
        bytes32 seed = keccak256(abi.encode(buyerSecret, sellerSecret, block.chainid, address(market), testId));
        uint256 k = n < OPEN_SLOTS ? n : OPEN_SLOTS;
        indices = new uint16[](k);
        uint256 found;
        for (uint256 t; found < k && t < MAX_DRAWS; ++t) {
            uint16 index = uint16(uint256(keccak256(abi.encode(seed, t))) % n);
            bool taken;
            for (uint256 i; i < found; ++i) {
                if (indices[i] == index) taken = true;
            }
            if (!taken) indices[found++] = index;
        }
        if (found < k) revert RefundDisputesNotDisputable(testId, uint32(n));
    }

    /// @dev The refund context: the market's dispute context with the shortfall (DisputeContext).
    function _context(
        uint256 testId,
        ITestDrives.TestDrive memory t,
        IModelRegistry.DisputeTerms memory terms,
        uint16 shortfallBps
    ) private view returns (uint256) {
        uint256 context = DisputeContext.ofTest(terms, t.sampleCount, address(market), testId, t.buyer);
        return DisputeContext.withShortfall(context, shortfallBps);
    }

    function _inWindow(uint256 testId, DisputePhase phase, uint256 window) private view returns (Dispute storage d) {
        d = _disputes[testId];
        if (d.phase != phase || block.timestamp >= uint256(d.phaseStartedAt) + window) {
            revert RefundDisputesInvalidPhase(testId, d.phase);
        }
    }

    function _setPhase(Dispute storage d, DisputePhase phase) private {
        d.phase = phase;
        d.phaseStartedAt = uint40(block.timestamp);
    }

    function _sampleHash(OpenedSample calldata s) private pure returns (bytes32) {
        return keccak256(abi.encode(s.index, s.prediction, s.sigma, s.siblings, s.features));
    }

    /// @dev The refund and opening verifiers of the smallest size holding `n` samples.
    function _sampleCircuitsFor(uint256 testId, uint32 n) private view returns (address refund, address open) {
        if (n <= _maxSamples0) return (_refundVerifier0, _openVerifier0);
        if (_sampleCircuitCount > 1 && n <= _maxSamples1) return (_refundVerifier1, _openVerifier1);
        revert RefundDisputesNotDisputable(testId, n);
    }

    /// @dev The contest circuit of the listing's plan: its verifier and feature capacity, or zeros.
    function _contestCircuit(uint256 listingId, IModelRegistry.PlanFamily family)
        private
        view
        returns (address verifier, uint256 features)
    {
        IModelRegistry.DisputeTerms memory terms = registry.disputeTerms(listingId);
        bytes32 packed = _findContestCircuit(family, terms.featureCount, terms.classCount);
        if (packed == bytes32(0)) return (address(0), 0);
        ContestCircuit memory c = _unpackContestCircuit(packed);
        return (c.verifier, c.features);
    }

    /// @dev The first contest circuit of `family` that holds the shape (SquareMlp: exactly
    /// `featureCount` features, since its hidden layer is committed whole).
    function _findContestCircuit(IModelRegistry.PlanFamily family, uint32 featureCount, uint16 classCount)
        private
        view
        returns (bytes32)
    {
        if (family == IModelRegistry.PlanFamily.None) return bytes32(0);
        bytes32[4] memory all = [_contestCircuit0, _contestCircuit1, _contestCircuit2, _contestCircuit3];
        for (uint256 i; i < _contestCircuitCount; ++i) {
            ContestCircuit memory c = _unpackContestCircuit(all[i]);
            bool fits = family == IModelRegistry.PlanFamily.SquareMlp
                ? c.features == featureCount
                : c.features >= featureCount;
            if (c.family == family && fits && c.classes >= classCount) return all[i];
        }
        return bytes32(0);
    }

    function _packContestCircuit(ContestCircuit memory c) private pure returns (bytes32) {
        return bytes32(
            uint256(uint160(c.verifier)) | (uint256(c.features) << 160) | (uint256(c.classes) << 192)
                | (uint256(uint8(c.family)) << 208)
        );
    }

    function _unpackContestCircuit(bytes32 packed) private pure returns (ContestCircuit memory) {
        uint256 p = uint256(packed);
        return ContestCircuit({
            family: IModelRegistry.PlanFamily(uint8(p >> 208)),
            features: uint32(p >> 160),
            classes: uint16(p >> 192),
            verifier: address(uint160(p))
        });
    }

    /// @dev F = min(min(n, freeSamples)·feePerExtraSample, deposit), capped so a claim never
    /// stakes more than the deposit in fees.
    function _freeSamplesFee(uint256 listingId, uint256 n) private view returns (uint256) {
        (,, IModelRegistry.TestPolicy memory p) = registry.testTerms(listingId);
        uint256 fee = (n < p.freeSamples ? n : p.freeSamples) * p.feePerExtraSample;
        return fee < p.deposit ? fee : p.deposit;
    }

    /// @dev R = deposit·min(s, w)/w.
    function _refund(uint256 deposit, uint16 shortfallBps, uint16 slopeBps) private pure returns (uint256) {
        uint256 s = shortfallBps < slopeBps ? shortfallBps : slopeBps;
        return deposit * s / slopeBps;
    }
}
