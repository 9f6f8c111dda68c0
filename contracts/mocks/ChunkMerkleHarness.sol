// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ChunkMerkle} from "../libraries/ChunkMerkle.sol";

/**
 * @title ChunkMerkleHarness
 * @notice Test-only: exposes {ChunkMerkle}'s internal functions so the SDK's codec
 * (`sdk/src/delivery/chunkMerkle.ts`) can be cross-checked against the contract's.
 */
contract ChunkMerkleHarness {
    function chunkSize() external pure returns (uint256) {
        return ChunkMerkle.CHUNK_SIZE;
    }

    function chunkCount(uint256 size) external pure returns (uint256) {
        return ChunkMerkle.chunkCount(size);
    }

    function depth(uint256 count) external pure returns (uint256) {
        return ChunkMerkle.depth(count);
    }

    function leaf(bytes32 chunk) external pure returns (bytes32) {
        return ChunkMerkle.leaf(chunk);
    }

    function keystream(bytes32 key, uint256 index) external pure returns (bytes32) {
        return ChunkMerkle.keystream(key, index);
    }

    function verify(bytes32[] calldata proof, uint256 treeDepth, bytes32 root, bytes32 leafHash, uint256 index)
        external
        pure
        returns (bool)
    {
        return ChunkMerkle.verify(proof, treeDepth, root, leafHash, index);
    }
}
