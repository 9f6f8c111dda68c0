// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDisputeVerifier} from "../interfaces/IDisputeVerifier.sol";
import {IDisputeVerifierRouter} from "../interfaces/IDisputeVerifierRouter.sol";
import {Groth16Canonical} from "../libraries/Groth16Canonical.sol";

/**
 * @title DisputeVerifierRouter
 * @notice The market's dispute verifier: it sends each proof to the one circuit that must
 * prove it, from the sample count and the listing's feature count and width packed in the
 * proof's `context` signal:
 *  - a listing with at most `maxFeatures` features goes to the feature circuit
 *    (circuits/disputeWithFeatures.circom), which recomputes the features digest and checks
 *    every feature's range: such a buyer cannot skip the range checks with a digest-only proof;
 *  - any other listing goes to the smallest digest-only circuit (circuits/dispute.circom,
 *    which takes the features digest as given) that holds the sample count.
 * A dispute no circuit can prove is invalid (false), and {maxSampleCount} tells the market so
 * before a test-drive opens. A proof whose encoding is not canonical (a coordinate at or above
 * the base field modulus) is invalid before any dispatch ({Groth16Canonical}), so the chain
 * accepts exactly the proofs that snarkjs and the audit accept.
 * @dev Context layout ({DisputeContext}): sampleCount bits 16..47, featureBits 64..71,
 * featureCount 72..103. Every circuit checks the same context and commitment, so the dispatch
 * adds no trust: a proof of another circuit fails the chosen verifier. Everything is immutable
 * (at most four digest-only sizes, to keep the dispatch free of storage reads).
 */
contract DisputeVerifierRouter is IDisputeVerifierRouter {
    /// @notice At most this many digest-only circuit sizes.
    uint256 public constant MAX_VERIFIERS = 4;

    uint256 private constant SAMPLE_COUNT_SHIFT = 16;
    uint256 private constant FEATURE_BITS_SHIFT = 64;
    uint256 private constant FEATURE_COUNT_SHIFT = 72;
    uint256 private constant MASK_32 = 0xffffffff;
    uint256 private constant MASK_8 = 0xff;

    uint256 private immutable _count;
    uint32 private immutable _size0;
    uint32 private immutable _size1;
    uint32 private immutable _size2;
    uint32 private immutable _size3;
    address private immutable _verifier0;
    address private immutable _verifier1;
    address private immutable _verifier2;
    address private immutable _verifier3;

    uint32 private immutable _featureSamples;
    uint32 private immutable _features;
    uint8 private immutable _featureBits;
    address private immutable _featureVerifier;

    /**
     * @param sizes digest-only circuit sizes N, strictly ascending, each above zero
     * @param verifiers the Groth16 verifier of each size (snarkjs's verifier of dispute_<N>)
     * @param featureCircuit_ the feature circuit (the verifier of dispute_<N>_f<F>)
     */
    constructor(uint32[] memory sizes, address[] memory verifiers, FeatureCircuit memory featureCircuit_) {
        uint256 count = sizes.length;
        if (count == 0 || count > MAX_VERIFIERS) revert DisputeVerifierRouterBadCount(count);
        if (verifiers.length != count) revert DisputeVerifierRouterLengthMismatch(count, verifiers.length);
        uint32[4] memory s;
        address[4] memory v;
        for (uint256 i; i < count; ++i) {
            if (sizes[i] == 0 || (i > 0 && sizes[i] <= sizes[i - 1])) revert DisputeVerifierRouterSizesNotAscending(i);
            if (verifiers[i].code.length == 0) revert DisputeVerifierRouterNotAContract(i);
            s[i] = sizes[i];
            v[i] = verifiers[i];
        }
        _count = count;
        (_size0, _size1, _size2, _size3) = (s[0], s[1], s[2], s[3]);
        (_verifier0, _verifier1, _verifier2, _verifier3) = (v[0], v[1], v[2], v[3]);

        FeatureCircuit memory f = featureCircuit_;
        if (f.maxSamples == 0 || f.maxFeatures == 0 || f.maxFeatureBits == 0 || f.verifier.code.length == 0) {
            revert DisputeVerifierRouterBadFeatureCircuit(f);
        }
        (_featureSamples, _features, _featureBits, _featureVerifier) = (f.maxSamples, f.maxFeatures, f.maxFeatureBits, f.verifier);
    }

    /**
     * @inheritdoc IDisputeVerifier
     * @dev Dispatches on the sample count, feature count and feature width packed in
     * `pubSignals[0]`; false when no circuit can prove the dispute or the proof's encoding is
     * not canonical.
     */
    function verifyProof(
        uint256[2] calldata pA,
        uint256[2][2] calldata pB,
        uint256[2] calldata pC,
        uint256[2] calldata pubSignals
    ) external view returns (bool) {
        if (!Groth16Canonical.isCanonical(pA, pB, pC)) return false;
        uint256 context = pubSignals[0];
        address verifier = verifierFor(
            (context >> SAMPLE_COUNT_SHIFT) & MASK_32,
            (context >> FEATURE_COUNT_SHIFT) & MASK_32,
            (context >> FEATURE_BITS_SHIFT) & MASK_8
        );
        if (verifier == address(0)) return false;
        return IDisputeVerifier(verifier).verifyProof(pA, pB, pC, pubSignals);
    }

    /// @inheritdoc IDisputeVerifierRouter
    function verifierFor(uint256 sampleCount, uint256 featureCount, uint256 featureBits)
        public
        view
        returns (address verifier)
    {
        if (featureCount <= _features) {
            return sampleCount <= _featureSamples && featureBits <= _featureBits ? _featureVerifier : address(0);
        }
        uint256 count = _count;
        if (sampleCount <= _size0) return _verifier0;
        if (count > 1 && sampleCount <= _size1) return _verifier1;
        if (count > 2 && sampleCount <= _size2) return _verifier2;
        if (count > 3 && sampleCount <= _size3) return _verifier3;
        return address(0);
    }

    /// @inheritdoc IDisputeVerifier
    function maxSampleCount(uint32 featureCount, uint8 featureBits) external view returns (uint32) {
        if (featureCount <= _features) return featureBits <= _featureBits ? _featureSamples : 0;
        uint256 count = _count;
        return count == 1 ? _size0 : count == 2 ? _size1 : count == 3 ? _size2 : _size3;
    }

    /// @inheritdoc IDisputeVerifierRouter
    function circuits() external view returns (uint32[] memory sizes, address[] memory verifiers) {
        uint256 count = _count;
        uint32[4] memory s = [_size0, _size1, _size2, _size3];
        address[4] memory v = [_verifier0, _verifier1, _verifier2, _verifier3];
        sizes = new uint32[](count);
        verifiers = new address[](count);
        for (uint256 i; i < count; ++i) {
            sizes[i] = s[i];
            verifiers[i] = v[i];
        }
    }

    /// @inheritdoc IDisputeVerifierRouter
    function featureCircuit() external view returns (FeatureCircuit memory) {
        return FeatureCircuit({
            maxSamples: _featureSamples,
            maxFeatures: _features,
            maxFeatureBits: _featureBits,
            verifier: _featureVerifier
        });
    }
}
