// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title ChunkMerkle
 * @notice The file commitment of fair delivery. A file is cut into 32-byte chunks (the last
 * one zero-padded); leaf `i` is `keccak256(chunk_i)`; the tree has depth
 * `ceil(log2(chunkCount))`, missing leaves are `bytes32(0)`, and a parent is
 * `keccak256(left ++ right)`. Unlike OpenZeppelin's MerkleProof (sorted pairs), a path's
 * direction comes from the leaf index, so a proof fixes the chunk's position.
 * A chunk is encrypted by XOR with the keystream word `keccak256(abi.encode(key, index))`.
 */
library ChunkMerkle {
    /// @notice Bytes per chunk.
    uint256 internal constant CHUNK_SIZE = 32;

    /// @notice Number of chunks of a file of `size` bytes.
    function chunkCount(uint256 size) internal pure returns (uint256) {
        return (size + CHUNK_SIZE - 1) / CHUNK_SIZE;
    }

    /// @notice Depth of the tree over `count` leaves: the smallest d with 2**d >= count.
    function depth(uint256 count) internal pure returns (uint256 d) {
        while ((uint256(1) << d) < count) ++d;
    }

    /// @notice The leaf of a chunk.
    function leaf(bytes32 chunk) internal pure returns (bytes32) {
        return keccak256(abi.encode(chunk));
    }

    /// @notice The keystream word that encrypts chunk `index`.
    function keystream(bytes32 key, uint256 index) internal pure returns (bytes32) {
        return keccak256(abi.encode(key, index));
    }

    /// @notice True iff `proof` leads from `leafHash` at position `index` to `root` in a tree
    /// of exactly `treeDepth` levels.
    function verify(bytes32[] calldata proof, uint256 treeDepth, bytes32 root, bytes32 leafHash, uint256 index)
        internal
        pure
        returns (bool)
    {
        if (proof.length != treeDepth || index >> treeDepth != 0) return false;
        bytes32 node = leafHash;
        for (uint256 level = 0; level < proof.length; ++level) {
            node = (index >> level) & 1 == 0 ? _hashPair(node, proof[level]) : _hashPair(proof[level], node);
        }
        return node == root;
    }

    function _hashPair(bytes32 left, bytes32 right) private pure returns (bytes32 h) {
        assembly ("memory-safe") {
            mstore(0x00, left)
            mstore(0x20, right)
            h := keccak256(0x00, 0x40)
        }
    }
}
