pragma circom 2.2.3;

/*
 * ContestLinear(F, C): the seller's contest proof for Linear-family plans (docs/DISPUTES.md
 * §5.3). F and C are the most features and classes the circuit holds (a listing with
 * featureCount <= F and classCount <= C <= 16 uses it). References: sdk/src/he/quantizedPlan.ts
 * (the integer scores), sdk/src/testDrives/sampleDigest.ts and featuresRoot.ts (d_j and D),
 * sdk/src/disputes/planCommitment.ts (the plan commitment), sdk/src/disputes/contestMeta.ts (the
 * meta packing) and contestLinearInput.ts (the witness). Those modules own the constants below;
 * test/circuits/contestLinear.test.ts checks both agree.
 *
 * Public, in this order (14 + ceil(F / 15) signals, all set by the contract from the buyer's
 * posted opening and the seller's (c, kind)):
 *   planCommitment, featuresRoot D, meta, sigma σ_j, siblings[10] (d_j's path in D),
 *   featureWords[ceil(F / 15)] (the opened quantized features, 16-bit lanes, 15 per word)
 * meta, least significant bits first (153 bits): index j (16), prediction ŷ_j (16), class c
 * (16), kind (1), featureCount (16), featureBits (8), classCount (16), τ_q (64).
 *
 * Private: rows c and ŷ_j of the quantized plan (weights + 2^15 in 16-bit lanes, bias + 2^63),
 * their paths in rowsRoot (depth 4), the plan's sx and sw, planSalt.
 *
 * Statement:
 *   1. planCommitment = Poseidon(PLAN_DOMAIN, shapeWord, 0, rowsRoot, planSalt) with shapeWord
 *      = 1 | featureCount << 8 | classCount << 72 | sx << 88 | sw << 96, both rows reaching
 *      rowsRoot at indices c and ŷ_j; c < classCount <= C, ŷ_j < classCount, c != ŷ_j;
 *      1 <= featureCount <= F, 1 <= featureBits <= 16, j < 2^10, features past featureCount
 *      are 0 (hard constraints: the contract builds these).
 *   2. valid = (d_j = chain(Poseidon(SAMPLE_DOMAIN, j, featureCount, σ_j), featureWords) reaches
 *      D along the path) AND (every feature < 2^featureBits), computed softly.
 *   3. valid + kind = 1: kind 1 proves an invalid opening; kind 0 a valid one on which
 *      score_q(c) - score_q(ŷ_j) - τ_q - 1 lies in [0, 2^MARGIN_BITS), where
 *      score_q(k) = sum_i W_q[k][i] * (q_i - 2^(featureBits - 1)) + b_q[k].
 *
 * MARGIN_BITS = 66 (the design said 48): biases are 64-bit signed and τ_q 64-bit, so an honest
 * margin can reach 2^65; soundness only needs every value far below p / 2, which holds.
 */
include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";
include "circomlib/circuits/poseidon.circom";
include "merklePath.circom";
include "poseidonChain.circom";
include "prefixMask.circom";

// The ASCII bytes of "ModelBazaar.sampleDigest.v2", big-endian.
function SAMPLE_DOMAIN() { return 31854963048401477836257542140152540702280157709917780841446929970; }
// The ASCII bytes of "ModelBazaar.planRow.v1", big-endian.
function ROW_DOMAIN() { return 28971920117693551070494815703693517177109142079174193; }
// The ASCII bytes of "ModelBazaar.planCommitment.v1", big-endian.
function PLAN_DOMAIN() { return 2087646858340039251476974281696030619520450902508048038454200315573809; }
// Depth of the features tree D (1,024 samples) and of the rows tree (16 classes).
function FEATURES_TREE_DEPTH() { return 10; }
function ROWS_TREE_DEPTH() { return 4; }
// Bits of a packed feature or weight lane, lanes per word.
function CONTEST_LANE_BITS() { return 16; }
function CONTEST_LANES_PER_WORD() { return 15; }
// Bits of the packed meta signal and of the margin check.
function CONTEST_META_BITS() { return 153; }
function MARGIN_BITS() { return 66; }

template ContestLinear(F, C) {
    assert(F >= 1 && F < 65536);
    assert(C >= 2 && C <= 16);
    var LANE = CONTEST_LANE_BITS();
    var LPW = CONTEST_LANES_PER_WORD();
    var W = (F + LPW - 1) \ LPW;
    var DD = FEATURES_TREE_DEPTH();
    var DR = ROWS_TREE_DEPTH();

    signal input planCommitment;
    signal input featuresRoot;
    signal input meta;
    signal input sigma;
    signal input siblings[DD];
    signal input featureWords[W];

    signal input rowLanes[2][F];
    signal input rowBias[2];
    signal input rowSiblings[2][DR];
    signal input planScales[2];
    signal input planSalt;

    // ---- meta ----
    signal metaBits[CONTEST_META_BITS()] <== Num2Bits(CONTEST_META_BITS())(meta);
    var index = 0;
    var prediction = 0;
    var cls = 0;
    var featureCount = 0;
    var classCount = 0;
    for (var k = 0; k < 16; k++) {
        index += metaBits[k] * (1 << k);
        prediction += metaBits[16 + k] * (1 << k);
        cls += metaBits[32 + k] * (1 << k);
        featureCount += metaBits[49 + k] * (1 << k);
        classCount += metaBits[73 + k] * (1 << k);
    }
    signal kind <== metaBits[48];
    var featureBits = 0;
    for (var k = 0; k < 8; k++) {
        featureBits += metaBits[65 + k] * (1 << k);
    }
    var tau = 0;
    for (var k = 0; k < 64; k++) {
        tau += metaBits[89 + k] * (1 << k);
    }
    // j < 2^10; c, ŷ < 2^4 (their low bits are the tree paths).
    for (var k = DD; k < 16; k++) {
        metaBits[k] === 0;
    }
    for (var k = DR; k < 16; k++) {
        metaBits[16 + k] === 0;
        metaBits[32 + k] === 0;
    }
    // c < classCount <= C, ŷ < classCount, c != ŷ.
    // Each difference below is small and non-negative exactly when its bound holds (classCount
    // < 2^16, c, ŷ < 16): a 5-bit decomposition checks it.
    _ <== Num2Bits(5)(C - classCount);
    _ <== Num2Bits(5)(classCount - 1 - cls);
    _ <== Num2Bits(5)(classCount - 1 - prediction);
    signal same <== IsEqual()([cls, prediction]);
    same === 0;

    // ---- shape masks ----
    // active[i] = (i < featureCount), forcing 1 <= featureCount <= F.
    signal active[F] <== PrefixMask(F)(featureCount);
    // bitAllowed[k] = (k < featureBits), forcing 1 <= featureBits <= 16.
    signal bitAllowed[LANE] <== PrefixMask(LANE)(featureBits);
    // 2^(featureBits - 1): the top allowed bit.
    var offset = 0;
    for (var k = 0; k < LANE; k++) {
        var next = k + 1 < LANE ? bitAllowed[k + 1] : 0;
        offset += (bitAllowed[k] - next) * (1 << k);
    }

    // ---- the opened features ----
    signal q[F];
    signal qBits[F][LANE];
    var bitSum[LANE];
    for (var k = 0; k < LANE; k++) {
        bitSum[k] = 0;
    }
    for (var w = 0; w < W; w++) {
        var packed = 0;
        for (var l = 0; l < LPW; l++) {
            var i = w * LPW + l;
            if (i < F) {
                q[i] <-- (featureWords[w] >> (LANE * l)) & ((1 << LANE) - 1);
                qBits[i] <== Num2Bits(LANE)(q[i]);
                for (var k = 0; k < LANE; k++) {
                    bitSum[k] += qBits[i][k];
                }
                packed += q[i] * (1 << (LANE * l));
            }
        }
        featureWords[w] === packed;
    }
    // Features past featureCount are 0.
    for (var i = 0; i < F; i++) {
        (1 - active[i]) * q[i] === 0;
    }
    // In range iff no bit at or above featureBits is set anywhere (bits are binary, F * 16 < p).
    signal excess[LANE];
    var excessSum = 0;
    for (var k = 0; k < LANE; k++) {
        excess[k] <== (1 - bitAllowed[k]) * bitSum[k];
        excessSum += excess[k];
    }
    signal inRange <== IsZero()(excessSum);

    // ---- d_j and its path to D ----
    // Block b of a chain over the packed words holds an active word iff feature 225 b exists.
    var BLOCKS = CHAIN_BLOCKS(W);
    var blockActive[BLOCKS];
    for (var b = 0; b < BLOCKS; b++) {
        blockActive[b] = active[b * WORDS_PER_BLOCK() * LPW];
    }
    signal sampleHead <== Poseidon(4)([SAMPLE_DOMAIN(), index, featureCount, sigma]);
    signal digest <== PoseidonChain(W)(sampleHead, featureWords, blockActive);
    var indexBits[DD];
    for (var t = 0; t < DD; t++) {
        indexBits[t] = metaBits[t];
    }
    signal reached <== MerkleRootFromPath(DD)(digest, indexBits, siblings);
    signal rootOk <== IsEqual()([reached, featuresRoot]);
    signal valid <== rootOk * inRange;
    valid + kind === 1;

    // ---- the two rows and the plan commitment ----
    var rowClass[2] = [cls, prediction];
    var rowBitsStart[2] = [32, 16];
    signal rowHead[2];
    signal rowDigest[2];
    signal rowRoot[2];
    for (var r = 0; r < 2; r++) {
        var words[W];
        for (var w = 0; w < W; w++) {
            words[w] = 0;
        }
        for (var i = 0; i < F; i++) {
            _ <== Num2Bits(LANE)(rowLanes[r][i]);
            words[i \ LPW] += rowLanes[r][i] * (1 << (LANE * (i % LPW)));
        }
        _ <== Num2Bits(64)(rowBias[r]);
        rowHead[r] <== Poseidon(4)([ROW_DOMAIN(), rowClass[r], featureCount, rowBias[r]]);
        rowDigest[r] <== PoseidonChain(W)(rowHead[r], words, blockActive);
        var classBits[DR];
        for (var t = 0; t < DR; t++) {
            classBits[t] = metaBits[rowBitsStart[r] + t];
        }
        rowRoot[r] <== MerkleRootFromPath(DR)(rowDigest[r], classBits, rowSiblings[r]);
    }
    rowRoot[0] === rowRoot[1];
    for (var s = 0; s < 2; s++) {
        _ <== Num2Bits(8)(planScales[s]);
    }
    var shapeWord = 1 + featureCount * (1 << 8) + classCount * (1 << 72) + planScales[0] * (1 << 88) + planScales[1] * (1 << 96);
    signal commitment <== Poseidon(5)([PLAN_DOMAIN(), shapeWord, 0, rowRoot[0], planSalt]);
    commitment === planCommitment;

    // ---- the margin ----
    // x_i = q_i - 2^(featureBits - 1) for i < featureCount, 0 beyond (q_i = 0 there).
    signal centered[F];
    signal product[F];
    var scoreDiff = rowBias[0] - rowBias[1];
    for (var i = 0; i < F; i++) {
        centered[i] <== q[i] - offset * active[i];
        product[i] <== (rowLanes[0][i] - rowLanes[1][i]) * centered[i];
        scoreDiff += product[i];
    }
    signal gated <== (1 - kind) * (scoreDiff - tau - 1);
    _ <== Num2Bits(MARGIN_BITS())(gated);
}
