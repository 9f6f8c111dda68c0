// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IModelRegistry} from "../interfaces/IModelRegistry.sol";

/**
 * @title DisputeContext
 * @notice Packs everything a refund proof is checked against, except the commitments, into
 * one BN254 field element, so the verifier takes one public signal instead of eight (each
 * costs ~6-7k gas). The refund and Open circuits unpack it with one bit decomposition.
 *
 * Bit layout, least significant first (232 bits, below the 254-bit field):
 *
 * | bits      | field              |
 * |-----------|--------------------|
 * | 0..15     | claimedAccuracyBps |
 * | 16..47    | sampleCount        |
 * | 48..63    | classCount         |
 * | 64..71    | featureBits        |
 * | 72..103   | featureCount       |
 * | 104..231  | binding tag        |
 *
 * A refund claim (docs/DISPUTES.md §5.1) adds the proven shortfall in basis points at bits
 * 232..247 ({withShortfall}); 248 bits stay below the field.
 *
 * The binding tag is the low 128 bits of
 * `keccak256(abi.encode(block.chainid, market, testId, buyer))`: a proof made for one
 * test-drive, buyer, market or chain does not verify for any other.
 */
library DisputeContext {
    struct Fields {
        uint16 claimedAccuracyBps;
        uint32 sampleCount;
        uint16 classCount;
        uint8 featureBits;
        uint32 featureCount;
    }

    /// @notice The 128-bit tag binding a proof to one test-drive of one buyer on one market.
    function bindingTag(uint256 chainId, address market, uint256 testId, address buyer)
        internal
        pure
        returns (uint128)
    {
        return uint128(uint256(keccak256(abi.encode(chainId, market, testId, buyer))));
    }

    /// @notice Bit offset of a refund's shortfall.
    uint256 internal constant SHORTFALL_SHIFT = 232;

    /// @notice A refund's context: `context` with `shortfallBps` at bits 232..247.
    function withShortfall(uint256 context, uint16 shortfallBps) internal pure returns (uint256) {
        return context | (uint256(shortfallBps) << SHORTFALL_SHIFT);
    }

    /// @notice The context of one test-drive: its listing's dispute terms, its sample count, and the
    /// tag binding it to `buyer`'s test `testId` on `market` on this chain. TestDrives and
    /// RefundDisputes both compute it here, so the two can never disagree.
    function ofTest(
        IModelRegistry.DisputeTerms memory terms,
        uint32 sampleCount,
        address market,
        uint256 testId,
        address buyer
    ) internal view returns (uint256) {
        return pack(
            Fields({
                claimedAccuracyBps: terms.claimedAccuracyBps,
                sampleCount: sampleCount,
                classCount: terms.classCount,
                featureBits: terms.featureBits,
                featureCount: terms.featureCount
            }),
            bindingTag(block.chainid, market, testId, buyer)
        );
    }

    /// @notice The packed public signal.
    function pack(Fields memory f, uint128 tag) internal pure returns (uint256) {
        return uint256(f.claimedAccuracyBps) | (uint256(f.sampleCount) << 16) | (uint256(f.classCount) << 48)
            | (uint256(f.featureBits) << 64) | (uint256(f.featureCount) << 72) | (uint256(tag) << 104);
    }
}
