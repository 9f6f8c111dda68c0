pragma circom 2.2.3;

/*
 * MerkleRootFromPath(DEPTH): the root a leaf reaches in a binary Poseidon(2) Merkle tree
 * (sdk/src/testDrives/poseidonMerkle.ts is the reference): at level t the node is the left
 * child when indexBits[t] = 0 (parent = Poseidon(node, sibling)) and the right one otherwise
 * (parent = Poseidon(sibling, node)). The caller constrains indexBits to be binary (they are
 * bits of a decomposed index). One swap constraint and one Poseidon(2) per level.
 */
include "circomlib/circuits/poseidon.circom";

template MerkleRootFromPath(DEPTH) {
    assert(DEPTH >= 1);
    signal input leaf;
    signal input indexBits[DEPTH];
    signal input siblings[DEPTH];
    signal output root;

    signal node[DEPTH + 1];
    signal swap[DEPTH];
    node[0] <== leaf;
    for (var t = 0; t < DEPTH; t++) {
        // swap = bit * (sibling - node): left = node + swap, right = sibling - swap.
        swap[t] <== indexBits[t] * (siblings[t] - node[t]);
        node[t + 1] <== Poseidon(2)([node[t] + swap[t], siblings[t] - swap[t]]);
    }
    root <== node[DEPTH];
}
