// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ChunkMerkleProbe} from "../test-utils/ChunkMerkleProbe.sol";
import {ChunkTreeBuilder} from "../test-utils/ChunkTreeBuilder.sol";
import {vm} from "../test-utils/Vm.sol";

/// @notice Fuzz tests of {ChunkMerkle-verify} against an independent in-memory tree builder:
/// a proof fixes its leaf's position, so it verifies at its own index and nowhere else.
contract ChunkMerkleFuzzTest {
    ChunkMerkleProbe private probe;

    function setUp() public {
        probe = new ChunkMerkleProbe();
    }

    function _leaves(uint256 seed, uint256 n) private pure returns (bytes32[] memory leaves) {
        leaves = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) leaves[i] = keccak256(abi.encode(seed, i));
    }

    function testFuzz_depthIsSmallestCoveringPowerOfTwo(uint256 count) public view {
        count = count % (1 << 40);
        uint256 d = probe.depth(count);
        require((uint256(1) << d) >= count, "depth too small");
        require(d == 0 || (uint256(1) << (d - 1)) < count, "depth not minimal");
    }

    function testFuzz_verifyAcceptsEveryLeafAtItsOwnIndex(uint256 seed, uint256 n, uint256 index) public view {
        n = 1 + (n % 33);
        index = index % n;
        bytes32[] memory leaves = _leaves(seed, n);
        uint256 d = ChunkTreeBuilder.depthOf(n);
        require(probe.depth(n) == d, "depth differs from the reference");
        bytes32 root = ChunkTreeBuilder.root(leaves);
        require(
            probe.verify(ChunkTreeBuilder.proof(leaves, index), d, root, leaves[index], index), "valid proof rejected"
        );
    }

    function testFuzz_verifyRejectsAProofAtAnyOtherIndex(uint256 seed, uint256 n, uint256 index, uint256 other, bool inTree)
        public
        view
    {
        n = 1 + (n % 33);
        index = index % n;
        uint256 d = ChunkTreeBuilder.depthOf(n);
        if (inTree) other = other % (uint256(1) << d); // includes padding positions
        vm.assume(other != index);
        bytes32[] memory leaves = _leaves(seed, n);
        bytes32 root = ChunkTreeBuilder.root(leaves);
        bytes32[] memory proof = ChunkTreeBuilder.proof(leaves, index);
        require(!probe.verify(proof, d, root, leaves[index], other), "proof accepted at another index");
    }

    function testFuzz_verifyRejectsWrongLeafOrRoot(uint256 seed, uint256 n, uint256 index, bytes32 wrong) public view {
        n = 1 + (n % 33);
        index = index % n;
        bytes32[] memory leaves = _leaves(seed, n);
        vm.assume(wrong != leaves[index]);
        uint256 d = ChunkTreeBuilder.depthOf(n);
        bytes32 root = ChunkTreeBuilder.root(leaves);
        bytes32[] memory proof = ChunkTreeBuilder.proof(leaves, index);
        require(!probe.verify(proof, d, root, wrong, index), "wrong leaf accepted");
        require(!probe.verify(proof, d, wrong ^ root ^ leaves[index], leaves[index], index) || wrong == leaves[index], "wrong root accepted");
    }

    function testFuzz_verifyRejectsProofsOfTheWrongLength(uint256 seed, uint256 n, uint256 index, bytes32 extra, bool longer)
        public
        view
    {
        n = 1 + (n % 33);
        index = index % n;
        bytes32[] memory leaves = _leaves(seed, n);
        uint256 d = ChunkTreeBuilder.depthOf(n);
        bytes32 root = ChunkTreeBuilder.root(leaves);
        bytes32[] memory proof = ChunkTreeBuilder.proof(leaves, index);
        if (longer) {
            bytes32[] memory padded = new bytes32[](d + 1);
            for (uint256 i = 0; i < d; ++i) padded[i] = proof[i];
            padded[d] = extra;
            require(!probe.verify(padded, d, root, leaves[index], index), "over-long proof accepted");
            // ... and it does not verify as a proof of a deeper tree either (different root).
            require(!probe.verify(padded, d + 1, root, leaves[index], index), "proof for deeper tree accepted");
        } else {
            vm.assume(d > 0);
            bytes32[] memory cut = new bytes32[](d - 1);
            for (uint256 i = 0; i + 1 < d; ++i) cut[i] = proof[i];
            require(!probe.verify(cut, d, root, leaves[index], index), "short proof accepted");
        }
    }
}
