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
 *
 * The meta, the opening, the rows and the margin check are contestShared.circom's templates,
 * shared with contestSquareMlp.circom.
 */
include "contestShared.circom";

// Bits of the margin check.
function MARGIN_BITS() { return 66; }

template ContestLinear(F, C) {
    assert(F >= 1 && F < 65536);
    assert(C >= 2 && C <= 16);
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

    // ---- meta and the buyer's opening ----
    component m = ContestMeta(C);
    m.meta <== meta;
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

    // ---- the two rows and the plan commitment ----
    component row[2];
    signal rowRoot[2];
    for (var r = 0; r < 2; r++) {
        row[r] = PlanRow(F);
        row[r].lanes <== rowLanes[r];
        row[r].bias <== rowBias[r];
        row[r].cls <== r == 0 ? m.cls : m.prediction;
        row[r].len <== m.featureCount;
        row[r].blockActive <== opening.blockActive;
        row[r].clsBits <== r == 0 ? m.clsBits : m.predictionBits;
        row[r].siblings <== rowSiblings[r];
        rowRoot[r] <== row[r].root;
    }
    rowRoot[0] === rowRoot[1];
    for (var s = 0; s < 2; s++) {
        _ <== Num2Bits(8)(planScales[s]);
    }
    var shapeWord = 1 + m.featureCount * (1 << 8) + m.classCount * (1 << 72) + planScales[0] * (1 << 88) + planScales[1] * (1 << 96);
    signal commitment <== Poseidon(5)([PLAN_DOMAIN(), shapeWord, 0, rowRoot[0], planSalt]);
    commitment === planCommitment;

    // ---- the margin ----
    // x_i = q_i - 2^(featureBits - 1) for i < featureCount, 0 beyond (q_i = 0 there).
    signal centered[F];
    signal product[F];
    var scoreDiff = rowBias[0] - rowBias[1];
    for (var i = 0; i < F; i++) {
        centered[i] <== opening.q[i] - opening.offset * opening.active[i];
        product[i] <== (rowLanes[0][i] - rowLanes[1][i]) * centered[i];
        scoreDiff += product[i];
    }
    component margin = GatedMargin(MARGIN_BITS());
    margin.diff <== scoreDiff;
    margin.tau <== m.tau;
    margin.kind <== m.kind;
}
