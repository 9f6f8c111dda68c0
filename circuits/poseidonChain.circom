pragma circom 2.2.3;

/*
 * PoseidonChain(W): the sponge-like chain both commitments of ModelBazaar use
 * (sdk/src/testDrives/poseidonChain.ts is its reference):
 *
 *   h(b+1) = Poseidon(h(b), words[15b], ..., words[15b + 14])   (zero words past W)
 *   out    = h(B), B = the number of blocks holding an active word
 *
 * The circuit hashes all ceil(W / 15) blocks and selects the state after the last block that
 * holds an active word. `blockActive[b]` says whether block b holds one; it must be a prefix
 * mask (the caller derives it from a mask it constrained, e.g. with PrefixMask), so exactly one
 * block is selected: blockActive[b] - blockActive[b + 1] is 1 for that block and 0 for every
 * other. One Poseidon(16) call and one selector constraint per block.
 */
include "circomlib/circuits/poseidon.circom";

// Words absorbed by one Poseidon(16) call together with the chain state.
function WORDS_PER_BLOCK() { return 15; }

// The number of blocks of a chain over W words.
function CHAIN_BLOCKS(W) { return (W + WORDS_PER_BLOCK() - 1) \ WORDS_PER_BLOCK(); }

template PoseidonChain(W) {
    assert(W >= 1);
    var WPB = WORDS_PER_BLOCK();
    var BLOCKS = CHAIN_BLOCKS(W);

    signal input start;
    signal input words[W];
    signal input blockActive[BLOCKS];
    signal output out;

    signal h[BLOCKS + 1];
    h[0] <== start;
    for (var b = 0; b < BLOCKS; b++) {
        var block[16];
        block[0] = h[b];
        for (var w = 0; w < WPB; w++) {
            block[1 + w] = b * WPB + w < W ? words[b * WPB + w] : 0;
        }
        h[b + 1] <== Poseidon(16)(block);
    }

    signal picked[BLOCKS];
    var selected = 0;
    for (var b = 0; b < BLOCKS; b++) {
        var next = b + 1 < BLOCKS ? blockActive[b + 1] : 0;
        picked[b] <== (blockActive[b] - next) * h[b + 1];
        selected += picked[b];
    }
    out <== selected;
}
