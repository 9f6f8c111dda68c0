// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDisputeVerifier} from "./IDisputeVerifier.sol";

/**
 * @title IDisputeVerifierRouter
 * @notice Types, errors and views of {DisputeVerifierRouter}: the market's dispute verifier,
 * which sends each proof to the one circuit that must prove it (docs/ZK.md, "Which checks a
 * proof covers").
 */
interface IDisputeVerifierRouter is IDisputeVerifier {
    /// @notice The feature circuit (circuits/disputeWithFeatures.circom): it recomputes the
    /// features digest from the features and checks their ranges.
    /// @param maxSamples the most samples it holds (N)
    /// @param maxFeatures the most features per sample it holds (F); every listing with at most
    /// this many features must be proven with it
    /// @param maxFeatureBits the widest features it checks (16)
    /// @param verifier its Groth16 verifier
    struct FeatureCircuit {
        uint32 maxSamples;
        uint32 maxFeatures;
        uint8 maxFeatureBits;
        address verifier;
    }

    /// @notice No digest-only verifier was given, or more than {MAX_VERIFIERS}.
    error DisputeVerifierRouterBadCount(uint256 count);
    /// @notice `sizes` and `verifiers` differ in length.
    error DisputeVerifierRouterLengthMismatch(uint256 sizes, uint256 verifiers);
    /// @notice `sizes[index]` is zero or not above `sizes[index - 1]`.
    error DisputeVerifierRouterSizesNotAscending(uint256 index);
    /// @notice `verifiers[index]` has no code.
    error DisputeVerifierRouterNotAContract(uint256 index);
    /// @notice The feature circuit has a zero bound or a verifier without code.
    error DisputeVerifierRouterBadFeatureCircuit(FeatureCircuit featureCircuit);

    /**
     * @notice The verifier that must prove a dispute over `sampleCount` samples of
     * `featureCount` features of `featureBits` bits: the feature circuit's when `featureCount`
     * is at most its `maxFeatures`, else the smallest digest-only circuit holding the samples.
     * @return verifier its address, or the zero address when no circuit can prove it
     */
    function verifierFor(uint256 sampleCount, uint256 featureCount, uint256 featureBits)
        external
        view
        returns (address verifier);

    /// @notice The digest-only circuit sizes and their verifiers, ascending.
    function circuits() external view returns (uint32[] memory sizes, address[] memory verifiers);

    /// @notice The feature circuit.
    function featureCircuit() external view returns (FeatureCircuit memory);
}
