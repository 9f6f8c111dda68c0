pragma circom 2.2.3;

/*
 * LaneChain(N): a Poseidon chain over N small values packed in 16-bit lanes, 15 per word
 * (least significant first, a last partial word zero-filled), the construction of both v2
 * commitments (commitmentsV2.circom; sdk/src/testDrives/poseidonChain.ts packLanes and
 * poseidonChain are its reference):
 *
 *   out = PoseidonChain(start, words) stopped after the last block holding an active value
 *
 * `blockActive[b]` says whether block b (values 225b .. 225b + 224) holds an active value:
 * the caller takes it from a prefix mask it constrained (active[LANE_BLOCK_START(b)] of a PrefixMask), and must
 * range-check every value to 16 bits and zero it on padding: then the packing is injective and
 * the result does not depend on N (the padding's words are zero and its blocks not selected).
 * Linear packing plus one Poseidon(16) and one selector per block of 225 values.
 */
include "poseidonChain.circom";

// Bits per lane and lanes per word: 15 * 16 = 240 bits < 254.
function LANE_BITS() { return 16; }
function LANES_PER_WORD() { return 15; }

// The words of N values, and the chain blocks over them.
function LANE_WORDS(N) { return (N + LANES_PER_WORD() - 1) \ LANES_PER_WORD(); }
function LANE_BLOCKS(N) { return CHAIN_BLOCKS(LANE_WORDS(N)); }

// The first value of block b: block b is active iff this value is (225b < N for every block).
function LANE_BLOCK_START(b) { return b * LANES_PER_WORD() * WORDS_PER_BLOCK(); }

template LaneChain(N) {
    assert(N >= 1);
    var LPW = LANES_PER_WORD();
    var WORDS = LANE_WORDS(N);

    signal input start;
    signal input values[N];
    signal input blockActive[LANE_BLOCKS(N)];
    signal output out;

    var words[WORDS];
    for (var w = 0; w < WORDS; w++) {
        var word = 0;
        for (var j = 0; j < LPW; j++) {
            if (w * LPW + j < N) {
                word += values[w * LPW + j] * (1 << (LANE_BITS() * j));
            }
        }
        words[w] = word;
    }
    out <== PoseidonChain(WORDS)(start, words, blockActive);
}
