// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ChunkMerkle} from "../libraries/ChunkMerkle.sol";

/// @notice Test-only: {ChunkMerkle-verify} takes its proof from calldata, so tests call it through here.
contract ChunkMerkleProbe {
    function verify(bytes32[] calldata proof, uint256 treeDepth, bytes32 root, bytes32 leafHash, uint256 index)
        external
        pure
        returns (bool)
    {
        return ChunkMerkle.verify(proof, treeDepth, root, leafHash, index);
    }

    function depth(uint256 count) external pure returns (uint256) {
        return ChunkMerkle.depth(count);
    }
}
