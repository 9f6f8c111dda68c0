// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title ChunkTreeBuilder
 * @notice Test-only reference implementation of the {ChunkMerkle} tree, built in memory: leaves
 * padded with `bytes32(0)` to a power of two, parents `keccak256(left ++ right)`. Independent
 * of the library (it never calls it), so tests can check the library against it.
 */
library ChunkTreeBuilder {
    /// @notice Depth of the tree over `count` leaves.
    function depthOf(uint256 count) internal pure returns (uint256 d) {
        while ((uint256(1) << d) < count) ++d;
    }

    function _pad(bytes32[] memory leaves) private pure returns (bytes32[] memory level) {
        uint256 width = uint256(1) << depthOf(leaves.length);
        level = new bytes32[](width);
        for (uint256 i = 0; i < leaves.length; ++i) level[i] = leaves[i];
    }

    function _parents(bytes32[] memory level) private pure returns (bytes32[] memory up) {
        up = new bytes32[](level.length / 2);
        for (uint256 i = 0; i < up.length; ++i) up[i] = keccak256(abi.encodePacked(level[2 * i], level[2 * i + 1]));
    }

    /// @notice The root over `leaves` (at least one).
    function root(bytes32[] memory leaves) internal pure returns (bytes32) {
        bytes32[] memory level = _pad(leaves);
        while (level.length > 1) level = _parents(level);
        return level[0];
    }

    /// @notice The sibling path of leaf `index`, bottom-up.
    function proof(bytes32[] memory leaves, uint256 index) internal pure returns (bytes32[] memory path) {
        bytes32[] memory level = _pad(leaves);
        path = new bytes32[](depthOf(leaves.length));
        for (uint256 d = 0; d < path.length; ++d) {
            path[d] = level[index ^ 1];
            level = _parents(level);
            index >>= 1;
        }
    }

    /// @notice `keccak256(abi.encode(chunk))` for every chunk.
    function leavesOf(bytes32[] memory chunks) internal pure returns (bytes32[] memory leaves) {
        leaves = new bytes32[](chunks.length);
        for (uint256 i = 0; i < chunks.length; ++i) leaves[i] = keccak256(abi.encode(chunks[i]));
    }

    /// @notice Chunks XOR-ed with the keystream `keccak256(abi.encode(key, i))`.
    function encrypt(bytes32[] memory chunks, bytes32 key) internal pure returns (bytes32[] memory out) {
        out = new bytes32[](chunks.length);
        for (uint256 i = 0; i < chunks.length; ++i) out[i] = chunks[i] ^ keccak256(abi.encode(key, i));
    }
}
