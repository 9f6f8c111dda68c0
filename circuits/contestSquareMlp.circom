pragma circom 2.2.3;

/*
 * ContestSquareMlp(F, H, C): the seller's contest proof for SquareMlp-family plans (linear
 * F -> H, monomials [h, h^2], linear 2H -> C; docs/DISPUTES.md §3.1, §5.3). Unlike
 * ContestLinear, the hidden layer is hashed whole, so a listing uses the circuit only when its
 * featureCount is F and its hidden width is H; it may have classCount <= C <= 16. References:
 * sdk/src/he/quantizedPlan.ts (the integer scores), sdk/src/disputes/planCommitment.ts (the
 * commitment, incl. hiddenDigest) and contestSquareMlpInput.ts (the witness);
 * test/circuits/contestSquareMlp.test.ts checks both agree.
 *
 * Public, in this order (14 + ceil(F / 15) signals), exactly ContestLinear's:
 *   planCommitment, featuresRoot D, meta, sigma σ_j, siblings[10], featureWords[ceil(F / 15)]
 *
 * Private: the hidden layer (W1_q + 2^15 in 16-bit lanes, row-major H x F; b1_q + 2^63), output
 * rows c and ŷ_j (2H weights + 2^15, [on h | on h^2]; b2_q + 2^63) and their paths in rowsRoot,
 * the scales sx, sw1, sw2, planSalt.
 *
 * Statement:
 *   1. planCommitment = Poseidon(PLAN_DOMAIN, shapeWord, hiddenDigest, rowsRoot, planSalt) with
 *      shapeWord = 2 | F << 8 | H << 40 | classCount << 72 | sx << 88 | sw1 << 96 | sw2 << 104,
 *      hiddenDigest = chain(Poseidon(HIDDEN_DOMAIN, F, H), W1 lanes 15 per word, then b1 lanes
 *      3 per word), both rows (len 2H) reaching rowsRoot at c and ŷ_j; featureCount = F, and
 *      ContestLinear's meta constraints (c < classCount <= C, ŷ_j < classCount, c != ŷ_j,
 *      1 <= featureBits <= 16, j < 2^10); sx + sw1 < 64.
 *   2. valid: the opening of ContestLinear (d_j reaches D, every feature < 2^featureBits).
 *   3. valid + kind = 1; kind 0 needs score_q(c) - score_q(ŷ_j) - τ_q - 1 in [0, 2^128) where
 *      h_q[k] = sum_i W1_q[k][i] (q_i - 2^(featureBits - 1)) + b1_q[k] and
 *      score_q(c) = 2^(sx + sw1) sum_k W2_q[c][k] h_q[k] + sum_k W2_q[c][H + k] h_q[k]^2 + b2_q[c].
 *
 * Soundness of the margin: |x_i| < 2^16, |h_q| < F 2^31 + 2^63 < 2^64 (F < 2^16), so the square
 * terms stay below H 2^16 2^128 and the linear ones below 2^63 H 2^16 2^64: every value is
 * below 2^165, far from p / 2, and a negative difference wraps above 2^128.
 */
include "contestShared.circom";

// The ASCII bytes of "ModelBazaar.planHidden.v1", big-endian.
function HIDDEN_DOMAIN() { return 486068161749290128116722749941058135479885427161970296911409; }
// Hidden biases per packed word (64-bit lanes).
function HIDDEN_BIASES_PER_WORD() { return 3; }
// Bits of the margin check (quantizedPlan.ts caps the score scale at 2^96).
function SQUARE_MLP_MARGIN_BITS() { return 128; }
// Bits of s1 = sx + sw1.
function HIDDEN_SCALE_BITS() { return 6; }

template ContestSquareMlp(F, H, C) {
    assert(F >= 1 && F < 65536);
    assert(H >= 1 && H < 65536);
    assert(C >= 2 && C <= 16);
    var LANE = CONTEST_LANE_BITS();
    var LPW = CONTEST_LANES_PER_WORD();
    var W = (F + LPW - 1) \ LPW;
    var DD = FEATURES_TREE_DEPTH();
    var DR = ROWS_TREE_DEPTH();
    var BPW = HIDDEN_BIASES_PER_WORD();
    var L = 2 * H;

    signal input planCommitment;
    signal input featuresRoot;
    signal input meta;
    signal input sigma;
    signal input siblings[DD];
    signal input featureWords[W];

    signal input hiddenLanes[H][F];
    signal input hiddenBias[H];
    signal input rowLanes[2][L];
    signal input rowBias[2];
    signal input rowSiblings[2][DR];
    signal input planScales[3];
    signal input planSalt;

    // ---- meta and the buyer's opening ----
    component m = ContestMeta(C);
    m.meta <== meta;
    m.featureCount === F;
    component opening = ContestOpening(F);
    opening.featureWords <== featureWords;
    opening.featureCount <== m.featureCount;
    opening.featureBits <== m.featureBits;
    opening.index <== m.index;
    opening.indexBits <== m.indexBits;
    opening.sigma <== sigma;
    opening.siblings <== siblings;
    opening.featuresRoot <== featuresRoot;
    opening.valid + m.kind === 1;
    // featureCount = F: every feature and every block of the features chain is active.
    for (var i = 0; i < F; i++) {
        opening.active[i] === 1;
    }
    for (var b = 0; b < CHAIN_BLOCKS(W); b++) {
        opening.blockActive[b] === 1;
    }

    // ---- the hidden layer and hiddenDigest ----
    var WH = (H * F + LPW - 1) \ LPW;
    var WB = (H + BPW - 1) \ BPW;
    var hiddenWords[WH + WB];
    for (var w = 0; w < WH + WB; w++) {
        hiddenWords[w] = 0;
    }
    for (var k = 0; k < H; k++) {
        for (var i = 0; i < F; i++) {
            var at = k * F + i;
            _ <== Num2Bits(LANE)(hiddenLanes[k][i]);
            hiddenWords[at \ LPW] += hiddenLanes[k][i] * (1 << (LANE * (at % LPW)));
        }
        _ <== Num2Bits(64)(hiddenBias[k]);
        hiddenWords[WH + k \ BPW] += hiddenBias[k] * (1 << (64 * (k % BPW)));
    }
    var HB = CHAIN_BLOCKS(WH + WB);
    var allBlocks[HB];
    for (var b = 0; b < HB; b++) {
        allBlocks[b] = 1;
    }
    signal hiddenHead <== Poseidon(3)([HIDDEN_DOMAIN(), F, H]);
    signal hiddenDigest <== PoseidonChain(WH + WB)(hiddenHead, hiddenWords, allBlocks);

    // ---- the two output rows and the plan commitment ----
    var RB = CHAIN_BLOCKS((L + LPW - 1) \ LPW);
    var rowBlocks[RB];
    for (var b = 0; b < RB; b++) {
        rowBlocks[b] = 1;
    }
    component row[2];
    signal rowRoot[2];
    for (var r = 0; r < 2; r++) {
        row[r] = PlanRow(L);
        row[r].lanes <== rowLanes[r];
        row[r].bias <== rowBias[r];
        row[r].cls <== r == 0 ? m.cls : m.prediction;
        row[r].len <== L;
        row[r].blockActive <== rowBlocks;
        row[r].clsBits <== r == 0 ? m.clsBits : m.predictionBits;
        row[r].siblings <== rowSiblings[r];
        rowRoot[r] <== row[r].root;
    }
    rowRoot[0] === rowRoot[1];
    for (var s = 0; s < 3; s++) {
        _ <== Num2Bits(8)(planScales[s]);
    }
    var shapeWord = 2 + F * (1 << 8) + H * (1 << 40) + m.classCount * (1 << 72) + planScales[0] * (1 << 88) + planScales[1] * (1 << 96) + planScales[2] * (1 << 104);
    signal commitment <== Poseidon(5)([PLAN_DOMAIN(), shapeWord, hiddenDigest, rowRoot[0], planSalt]);
    commitment === planCommitment;

    // ---- 2^s1, s1 = sx + sw1 < 64 ----
    signal s1Bits[HIDDEN_SCALE_BITS()] <== Num2Bits(HIDDEN_SCALE_BITS())(planScales[0] + planScales[1]);
    signal pow[HIDDEN_SCALE_BITS()];
    pow[0] <== 1 + s1Bits[0];
    for (var t = 1; t < HIDDEN_SCALE_BITS(); t++) {
        pow[t] <== pow[t - 1] * (1 + s1Bits[t] * ((1 << (1 << t)) - 1));
    }

    // ---- h_q, h_q^2 and the margin ----
    // x_i = q_i - 2^(featureBits - 1) (featureCount = F: every feature is active).
    signal centered[F];
    for (var i = 0; i < F; i++) {
        centered[i] <== opening.q[i] - opening.offset;
    }
    signal hiddenProduct[H][F];
    signal hidden[H];
    signal hiddenSquare[H];
    signal linearProduct[H];
    signal squareProduct[H];
    var linear = 0;
    var square = 0;
    for (var k = 0; k < H; k++) {
        var sum = hiddenBias[k] - (1 << 63);
        for (var i = 0; i < F; i++) {
            hiddenProduct[k][i] <== (hiddenLanes[k][i] - (1 << 15)) * centered[i];
            sum += hiddenProduct[k][i];
        }
        hidden[k] <== sum;
        hiddenSquare[k] <== hidden[k] * hidden[k];
        linearProduct[k] <== (rowLanes[0][k] - rowLanes[1][k]) * hidden[k];
        squareProduct[k] <== (rowLanes[0][H + k] - rowLanes[1][H + k]) * hiddenSquare[k];
        linear += linearProduct[k];
        square += squareProduct[k];
    }
    signal shifted <== pow[HIDDEN_SCALE_BITS() - 1] * linear;
    component margin = GatedMargin(SQUARE_MLP_MARGIN_BITS());
    margin.diff <== shifted + square + rowBias[0] - rowBias[1];
    margin.tau <== m.tau;
    margin.kind <== m.kind;
}
