// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDisputeVerifier} from "../interfaces/IDisputeVerifier.sol";

/**
 * @title DisputeVerifierRouter
 * @notice The market's dispute verifier: one Groth16 verifier per circuit size N (the most
 * samples a dispute circuit holds, see circuits/dispute.circom), and a dispatch on the test
 * set's sample count to the smallest circuit that holds it. A proof is valid iff the chosen
 * verifier accepts it; a test set larger than every circuit cannot be disputed (false).
 * @dev The sample count is bits 16..47 of the packed `context` signal ({DisputeContext}).
 * Every circuit of every size checks the same statement against the same two public signals,
 * so the dispatch adds no trust: a prover who picked another size would need a proof of that
 * size, which the chosen verifier rejects. Sizes and verifiers are immutable (at most four,
 * to keep the dispatch free of storage reads).
 */
contract DisputeVerifierRouter is IDisputeVerifier {
    /// @notice At most this many circuit sizes.
    uint256 public constant MAX_VERIFIERS = 4;

    uint256 private constant SAMPLE_COUNT_SHIFT = 16;
    uint256 private constant SAMPLE_COUNT_MASK = 0xffffffff;

    /// @notice No verifier was given, or more than {MAX_VERIFIERS}.
    error DisputeVerifierRouterBadCount(uint256 count);
    /// @notice `sizes` and `verifiers` differ in length.
    error DisputeVerifierRouterLengthMismatch(uint256 sizes, uint256 verifiers);
    /// @notice `sizes[index]` is zero or not above `sizes[index - 1]`.
    error DisputeVerifierRouterSizesNotAscending(uint256 index);
    /// @notice `verifiers[index]` has no code.
    error DisputeVerifierRouterNotAContract(uint256 index);

    uint256 private immutable _count;
    uint32 private immutable _size0;
    uint32 private immutable _size1;
    uint32 private immutable _size2;
    uint32 private immutable _size3;
    address private immutable _verifier0;
    address private immutable _verifier1;
    address private immutable _verifier2;
    address private immutable _verifier3;

    /**
     * @param sizes circuit sizes N, strictly ascending, each above zero
     * @param verifiers the Groth16 verifier of each size (snarkjs's verifier of dispute_<N>)
     */
    constructor(uint32[] memory sizes, address[] memory verifiers) {
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
    }

    /**
     * @inheritdoc IDisputeVerifier
     * @dev Dispatches on the sample count packed in `pubSignals[0]`; false when no circuit is
     * large enough.
     */
    function verifyProof(
        uint256[2] calldata pA,
        uint256[2][2] calldata pB,
        uint256[2] calldata pC,
        uint256[2] calldata pubSignals
    ) external view returns (bool) {
        address verifier = verifierFor((pubSignals[0] >> SAMPLE_COUNT_SHIFT) & SAMPLE_COUNT_MASK);
        if (verifier == address(0)) return false;
        return IDisputeVerifier(verifier).verifyProof(pA, pB, pC, pubSignals);
    }

    /**
     * @notice The verifier of the smallest circuit that holds `sampleCount` samples.
     * @return verifier its address, or the zero address when no circuit is large enough
     */
    function verifierFor(uint256 sampleCount) public view returns (address verifier) {
        uint256 count = _count;
        if (sampleCount <= _size0) return _verifier0;
        if (count > 1 && sampleCount <= _size1) return _verifier1;
        if (count > 2 && sampleCount <= _size2) return _verifier2;
        if (count > 3 && sampleCount <= _size3) return _verifier3;
        return address(0);
    }

    /// @inheritdoc IDisputeVerifier
    function maxSampleCount() external view returns (uint32) {
        uint256 count = _count;
        return count == 1 ? _size0 : count == 2 ? _size1 : count == 3 ? _size2 : _size3;
    }

    /// @notice The circuit sizes and their verifiers, ascending.
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
}
