pragma circom 2.2.3;

/*
 * The pieces every contest circuit shares (docs/DISPUTES.md §5.3): the packed meta signal, the
 * buyer's opening of sample j (its features, their range, d_j and its path to D), one output row
 * of the plan and its path in rowsRoot, and the gated margin check. contestLinear.circom and
 * contestSquareMlp.circom compose them; the SDK modules named there own the constants below and
 * the circuit tests check both agree.
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
// Bits of the packed meta signal.
function CONTEST_META_BITS() { return 153; }

/*
 * ContestMeta(C): unpacks meta, least significant bits first (153 bits): index j (16),
 * prediction ŷ_j (16), class c (16), kind (1), featureCount (16), featureBits (8), classCount
 * (16), τ_q (64); and constrains j < 2^10, c < classCount <= C, ŷ_j < classCount, c != ŷ_j.
 */
template ContestMeta(C) {
    assert(C >= 2 && C <= 16);
    var DD = FEATURES_TREE_DEPTH();
    var DR = ROWS_TREE_DEPTH();
    signal input meta;
    signal output index;
    signal output prediction;
    signal output cls;
    signal output kind;
    signal output featureCount;
    signal output featureBits;
    signal output classCount;
    signal output tau;
    signal output indexBits[DD];
    signal output clsBits[DR];
    signal output predictionBits[DR];

    signal metaBits[CONTEST_META_BITS()] <== Num2Bits(CONTEST_META_BITS())(meta);
    var vIndex = 0;
    var vPrediction = 0;
    var vCls = 0;
    var vFeatureCount = 0;
    var vClassCount = 0;
    for (var k = 0; k < 16; k++) {
        vIndex += metaBits[k] * (1 << k);
        vPrediction += metaBits[16 + k] * (1 << k);
        vCls += metaBits[32 + k] * (1 << k);
        vFeatureCount += metaBits[49 + k] * (1 << k);
        vClassCount += metaBits[73 + k] * (1 << k);
    }
    var vFeatureBits = 0;
    for (var k = 0; k < 8; k++) {
        vFeatureBits += metaBits[65 + k] * (1 << k);
    }
    var vTau = 0;
    for (var k = 0; k < 64; k++) {
        vTau += metaBits[89 + k] * (1 << k);
    }
    index <== vIndex;
    prediction <== vPrediction;
    cls <== vCls;
    kind <== metaBits[48];
    featureCount <== vFeatureCount;
    featureBits <== vFeatureBits;
    classCount <== vClassCount;
    tau <== vTau;
    // j < 2^10; c, ŷ < 2^4 (their low bits are the tree paths).
    for (var k = DD; k < 16; k++) {
        metaBits[k] === 0;
    }
    for (var k = DR; k < 16; k++) {
        metaBits[16 + k] === 0;
        metaBits[32 + k] === 0;
    }
    for (var t = 0; t < DD; t++) {
        indexBits[t] <== metaBits[t];
    }
    for (var t = 0; t < DR; t++) {
        predictionBits[t] <== metaBits[16 + t];
        clsBits[t] <== metaBits[32 + t];
    }
    // c < classCount <= C, ŷ < classCount, c != ŷ.
    // Each difference below is small and non-negative exactly when its bound holds (classCount
    // < 2^16, c, ŷ < 16): a 5-bit decomposition checks it.
    _ <== Num2Bits(5)(C - classCount);
    _ <== Num2Bits(5)(classCount - 1 - cls);
    _ <== Num2Bits(5)(classCount - 1 - prediction);
    signal same <== IsEqual()([cls, prediction]);
    same === 0;
}

/*
 * ContestOpening(F): the buyer's opening of sample j, for at most F features.
 *   active[i] = (i < featureCount), forcing 1 <= featureCount <= F; features past featureCount
 *   are 0 (hard constraints); offset = 2^(featureBits - 1), forcing 1 <= featureBits <= 16;
 *   q[i] the features unpacked from 16-bit lanes, 15 per word;
 *   valid = (d_j = chain(Poseidon(SAMPLE_DOMAIN, j, featureCount, σ_j), featureWords) reaches
 *   D along the path) AND (every feature < 2^featureBits), computed softly.
 * blockActive[b] says whether block b of a chain over ceil(F / 15) words holds an active word
 * (for rows laid out like the features).
 */
template ContestOpening(F) {
    assert(F >= 1 && F < 65536);
    var LANE = CONTEST_LANE_BITS();
    var LPW = CONTEST_LANES_PER_WORD();
    var W = (F + LPW - 1) \ LPW;
    var DD = FEATURES_TREE_DEPTH();
    var BLOCKS = CHAIN_BLOCKS(W);

    signal input featureWords[W];
    signal input featureCount;
    signal input featureBits;
    signal input index;
    signal input indexBits[DD];
    signal input sigma;
    signal input siblings[DD];
    signal input featuresRoot;
    signal output q[F];
    signal output active[F];
    signal output offset;
    signal output blockActive[BLOCKS];
    signal output valid;

    // ---- shape masks ----
    active <== PrefixMask(F)(featureCount);
    // bitAllowed[k] = (k < featureBits), forcing 1 <= featureBits <= 16.
    signal bitAllowed[LANE] <== PrefixMask(LANE)(featureBits);
    // 2^(featureBits - 1): the top allowed bit.
    var vOffset = 0;
    for (var k = 0; k < LANE; k++) {
        var next = k + 1 < LANE ? bitAllowed[k + 1] : 0;
        vOffset += (bitAllowed[k] - next) * (1 << k);
    }
    offset <== vOffset;

    // ---- the opened features ----
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
    for (var b = 0; b < BLOCKS; b++) {
        blockActive[b] <== active[b * WORDS_PER_BLOCK() * LPW];
    }
    signal sampleHead <== Poseidon(4)([SAMPLE_DOMAIN(), index, featureCount, sigma]);
    signal digest <== PoseidonChain(W)(sampleHead, featureWords, blockActive);
    signal reached <== MerkleRootFromPath(DD)(digest, indexBits, siblings);
    signal rootOk <== IsEqual()([reached, featuresRoot]);
    valid <== rootOk * inRange;
}

/*
 * PlanRow(L): output row `cls` of a plan (L weights + 2^15 in 16-bit lanes, bias + 2^63), its
 * digest r_c = chain(Poseidon(ROW_DOMAIN, cls, len, bias), lanes 15 per word) with the chain's
 * block mask `blockActive`, and the root it reaches along `siblings` at `clsBits`. Lanes past
 * `len` must be 0 in the words (the caller's mask ensures it where len < L).
 */
template PlanRow(L) {
    assert(L >= 1);
    var LANE = CONTEST_LANE_BITS();
    var LPW = CONTEST_LANES_PER_WORD();
    var W = (L + LPW - 1) \ LPW;
    var DR = ROWS_TREE_DEPTH();

    signal input lanes[L];
    signal input bias;
    signal input cls;
    signal input len;
    signal input blockActive[CHAIN_BLOCKS(W)];
    signal input clsBits[DR];
    signal input siblings[DR];
    signal output root;

    var words[W];
    for (var w = 0; w < W; w++) {
        words[w] = 0;
    }
    for (var i = 0; i < L; i++) {
        _ <== Num2Bits(LANE)(lanes[i]);
        words[i \ LPW] += lanes[i] * (1 << (LANE * (i % LPW)));
    }
    _ <== Num2Bits(64)(bias);
    signal head <== Poseidon(4)([ROW_DOMAIN(), cls, len, bias]);
    signal digest <== PoseidonChain(W)(head, words, blockActive);
    root <== MerkleRootFromPath(DR)(digest, clsBits, siblings);
}

/*
 * GatedMargin(BITS): when kind = 0, diff - tau - 1 lies in [0, 2^BITS), i.e. diff > tau (every
 * value far below p / 2, so a negative difference wraps above 2^BITS and fails); nothing when
 * kind = 1.
 */
template GatedMargin(BITS) {
    signal input diff;
    signal input tau;
    signal input kind;
    signal gated <== (1 - kind) * (diff - tau - 1);
    _ <== Num2Bits(BITS)(gated);
}
