pragma circom 2.2.3;

/*
 * FeaturesDigest(N, F): the buyer's featuresDigest recomputed from the quantized features, with
 * the listing's feature ranges checked (sdk/src/testDrives/featuresDigest.ts is the reference
 * and owns the constants; test/circuits/disputeWithFeatures.test.ts checks both agree).
 *
 *   inputs  features[N][F] (sample-major), sampleCount n, featureCount, featureBits, and the
 *           sample mask active[N] = PrefixMask(N)(n), constrained by the caller
 *   checks  1 <= featureCount <= F and 1 <= featureBits <= FEATURE_LANE_BITS (= 16);
 *           every feature < 2^featureBits; every padding feature (sample >= n or
 *           column >= featureCount) == 0
 *   output  digest = PoseidonChain(h0, rows), with
 *             h0      = Poseidon(DOMAIN, n, featureCount, featureBits)
 *             row i   = sum_f features[i][f] * 2^(16 f), one word per sample (F <= 15 lanes)
 *           which is the SDK's digest for every listing with featureBits <= 16 and
 *           featureCount <= 15, whatever N and F (padding is zero and past the selected block).
 *
 * Cost: 16 constraints per feature (its bit decomposition), and a constant number for the
 * ranges: bit k of every feature is summed over all N * F features (a linear combination) and
 * the sum must be 0 for every k >= featureBits (16 constraints); as the bits are binary and
 * N * F < p, a zero sum means every such bit is 0. The padding is checked the same way with
 * one row sum per sample and one column sum per column (features are below 2^16, so the sums
 * cannot wrap). Plus ceil(N / 15) Poseidon(16) calls for the chain.
 */
include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/poseidon.circom";
include "poseidonChain.circom";
include "prefixMask.circom";

// Bits per packed feature (a lane): featureBits <= 16 is what this circuit can check.
function FEATURE_LANE_BITS() { return 16; }
// Lanes per field element: 15 * 16 = 240 bits < 254.
function FEATURE_LANES_PER_WORD() { return 15; }
// The ASCII bytes of "ModelBazaar.featuresDigest.v1", big-endian.
function FEATURES_DIGEST_DOMAIN() { return 2087646858340039251476974281692618491380927808021200987316121968211505; }

template FeaturesDigest(N, F) {
    assert(N >= 1);
    assert(F >= 1 && F <= FEATURE_LANES_PER_WORD());
    var LANE = FEATURE_LANE_BITS();

    signal input features[N][F];
    signal input sampleCount;
    signal input featureCount;
    signal input featureBits;
    // active[i] = (i < sampleCount), constrained by the caller with PrefixMask(N).
    signal input active[N];
    signal output digest;

    // column[f] = (f < featureCount), bitAllowed[k] = (k < featureBits).
    signal column[F] <== PrefixMask(F)(featureCount);
    signal bitAllowed[LANE] <== PrefixMask(LANE)(featureBits);

    signal bits[N][F][LANE];
    var bitSum[LANE];
    for (var k = 0; k < LANE; k++) {
        bitSum[k] = 0;
    }
    var columnSum[F];
    for (var f = 0; f < F; f++) {
        columnSum[f] = 0;
    }
    var rows[N];
    for (var i = 0; i < N; i++) {
        var rowSum = 0;
        var row = 0;
        for (var f = 0; f < F; f++) {
            bits[i][f] <== Num2Bits(LANE)(features[i][f]);
            for (var k = 0; k < LANE; k++) {
                bitSum[k] += bits[i][f][k];
            }
            rowSum += features[i][f];
            columnSum[f] += features[i][f];
            row += features[i][f] * (1 << (LANE * f));
        }
        (1 - active[i]) * rowSum === 0;
        rows[i] = row;
    }
    for (var f = 0; f < F; f++) {
        (1 - column[f]) * columnSum[f] === 0;
    }
    for (var k = 0; k < LANE; k++) {
        (1 - bitAllowed[k]) * bitSum[k] === 0;
    }

    // One word per sample, so block b holds a sample iff sample 15 * b is one.
    var blockActive[CHAIN_BLOCKS(N)];
    for (var b = 0; b < CHAIN_BLOCKS(N); b++) {
        blockActive[b] = active[b * WORDS_PER_BLOCK()];
    }
    signal h0 <== Poseidon(4)([FEATURES_DIGEST_DOMAIN(), sampleCount, featureCount, featureBits]);
    digest <== PoseidonChain(N)(h0, rows, blockActive);
}
