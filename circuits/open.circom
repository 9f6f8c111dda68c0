pragma circom 2.2.3;

/*
 * The Open circuit of ModelBazaar (docs/DISPUTES.md §5.2, issue #10): the buyer's opening of a
 * contested refund. It proves that the (label, prediction) pairs published for the contest's
 * indices are the ones C_D and C_P commit to there, revealing no other sample.
 *
 *   public  context              the v2 packing the refund proved (contextV2.circom)
 *   public  dataCommitment       C_D (commitmentsV2.circom)
 *   public  predictionCommitment C_P
 *   public  indices[2]           idx_0..idx_{K-1} in 16-bit lanes, 15 per word, then k_eff as
 *                                lane K (for K = 16: word 1 = idx_15 + k_eff·2^16)
 *   public  featuresRoot         D, an input (not an output): the contract passes the D of the
 *                                buyer's opening and the circuit binds it through C_D
 *   public  openedPairs[3]       slot t's label_t + prediction_t·2^16 in 32-bit lanes, 7 per word
 *   private claimedAccuracyBps, sampleCount n, classCount, featureBits, featureCount, tag,
 *           shortfallBps, labels[N], predictions[N], salt (saltP is derived in-circuit)
 *
 *   1. context packs the seven private fields exactly, each range-checked to its width.
 *   2. 1 <= n <= N; every label and prediction < 2^16, 0 for i >= n.
 *   3. C_D and C_P recompute from those lanes (the refund circuit's templates).
 *   4. k_eff = min(K, n); for t < k_eff: idx_t < n, and slot t's pair is
 *      (labels[idx_t], predictions[idx_t]); for t >= k_eff: idx_t = 0 and the pair is 0.
 *
 * Selection (two levels): the pairs are packed 7 to a word (224 bits, linear); slot t picks a
 * word by a one-hot vector over the ceil(N/7) words and a lane of it by a one-hot over 7 lanes,
 * idx_t = 7·word + lane. Both vectors sum to the slot's activity bit, so an inactive slot picks
 * nothing (index 0, pair 0). The picked word is split into 7 range-checked 32-bit lanes (unique,
 * since every lane of a word is a range-checked label and prediction). Per slot:
 * 2·ceil(N/7) + 2·7 + 7·32 + 16 constraints.
 *
 * Indices are not checked distinct: the contract draws them (challengeIndices.ts) and passes
 * them as public signals. Labels are not checked < classCount: the refund proved it on the same
 * C_D; an opened prediction >= classCount ends the contest for the seller in the contract.
 *
 * Constraints (circom 2.2.3 --O2, measured): Open(256, 16) 17,948 (2^15); Open(1024, 16)
 * 52,812, with its 9 public inputs 52,821 of 2^16 = 65,536 (80.6%). Of these, 36 per sample
 * (two 16-bit range checks, zero padding, the prefix mask), 2·ceil(N/7) + 254 per slot
 * (5,248 at N = 256, 8,768 at N = 1,024), the rest the two chains and the context.
 *
 * The SDK (sdk/src/testDrives/openCircuitInput.ts, challengeIndices.ts and the commitments) is
 * the reference; test/circuits/open.test.ts checks both agree.
 */
include "circomlib/circuits/bitify.circom";
include "commitmentsV2.circom";
include "contextV2.circom";
include "prefixMask.circom";

function OPEN_INDEX_BITS() { return 16; }
function OPEN_INDICES_PER_WORD() { return 15; }
function OPEN_PAIR_BITS() { return 32; }
function OPEN_PAIRS_PER_WORD() { return 7; }
// Public words of the K indices and k_eff, and of the K pairs.
function OPEN_INDEX_WORDS(K) { return (K + 1 + OPEN_INDICES_PER_WORD() - 1) \ OPEN_INDICES_PER_WORD(); }
function OPEN_PAIR_WORDS(K) { return (K + OPEN_PAIRS_PER_WORD() - 1) \ OPEN_PAIRS_PER_WORD(); }

template Open(N, K) {
    var PPW = OPEN_PAIRS_PER_WORD();
    var IPW = OPEN_INDICES_PER_WORD();
    var WORDS = (N + PPW - 1) \ PPW;
    assert(N >= 1);
    assert(K >= 1);
    // Every index (< 7·WORDS <= N + 6) and k_eff fit a 16-bit lane.
    assert(PPW * WORDS < 1 << OPEN_INDEX_BITS());
    assert(K < 1 << OPEN_INDEX_BITS());

    // Public signals, in this order.
    signal input context;
    signal input dataCommitment;
    signal input predictionCommitment;
    signal input indices[OPEN_INDEX_WORDS(K)];
    signal input featuresRoot;
    signal input openedPairs[OPEN_PAIR_WORDS(K)];

    // The unpacked context.
    signal input claimedAccuracyBps;
    signal input sampleCount;
    signal input classCount;
    signal input featureBits;
    signal input featureCount;
    signal input tag;
    signal input shortfallBps;

    signal input labels[N];
    signal input predictions[N];
    signal input salt;

    // 1. The context.
    DisputeContextV2()(context, claimedAccuracyBps, sampleCount, classCount, featureBits, featureCount, tag, shortfallBps);

    // 2. Sizes, 16-bit lanes, zero padding.
    signal active[N] <== PrefixMask(N)(sampleCount);
    for (var i = 0; i < N; i++) {
        _ <== Num2Bits(16)(labels[i]);
        _ <== Num2Bits(16)(predictions[i]);
        (1 - active[i]) * labels[i] === 0;
        (1 - active[i]) * predictions[i] === 0;
    }

    // 3. The commitments.
    var blockActive[LANE_BLOCKS(N)];
    for (var b = 0; b < LANE_BLOCKS(N); b++) {
        blockActive[b] = active[LANE_BLOCK_START(b)];
    }
    signal labelsCommitment <== DataCommitmentV2(N)(featuresRoot, sampleCount, salt, labels, blockActive);
    dataCommitment === labelsCommitment;
    signal predictionsCommitment <== PredictionCommitment(N)(dataCommitment, sampleCount, salt, predictions, blockActive);
    predictionCommitment === predictionsCommitment;

    // 4. k_eff = min(K, n). fewer = (n < K) is binary, and K - 1 - n (fewer = 1) or n - K
    // (fewer = 0) is in [0, 2^16): n <= N < 2^16, so the wrong choice wraps far above 2^16.
    signal fewer <-- sampleCount < K ? 1 : 0;
    fewer * (fewer - 1) === 0;
    signal fewerGap <== fewer * (2 * K - 1 - 2 * sampleCount);
    _ <== Num2Bits(16)(fewerGap + sampleCount - K);
    signal kEff <== fewer * (sampleCount - K) + K;
    signal slotActive[K] <== PrefixMask(K)(kEff);

    // The pairs packed 7 to a word (linear in the range-checked lanes).
    var pairWords[WORDS];
    for (var w = 0; w < WORDS; w++) {
        pairWords[w] = 0;
        for (var j = 0; j < PPW; j++) {
            if (w * PPW + j < N) {
                pairWords[w] += (labels[w * PPW + j] + predictions[w * PPW + j] * (1 << 16)) * (1 << (OPEN_PAIR_BITS() * j));
            }
        }
    }

    signal wordSel[K][WORDS];
    signal laneSel[K][PPW];
    signal picked[K][WORDS];
    signal word[K];
    signal lanes[K][PPW];
    signal laneTerm[K][PPW];
    signal pair[K];
    var index[K];
    for (var t = 0; t < K; t++) {
        // The hint: the public index of slot t.
        var hint = (indices[t \ IPW] >> (OPEN_INDEX_BITS() * (t % IPW))) & ((1 << OPEN_INDEX_BITS()) - 1);
        var wordSum = 0;
        var idx = 0;
        for (var w = 0; w < WORDS; w++) {
            wordSel[t][w] <-- (slotActive[t] == 1 && hint \ PPW == w) ? 1 : 0;
            wordSel[t][w] * (wordSel[t][w] - 1) === 0;
            wordSum += wordSel[t][w];
            idx += wordSel[t][w] * (PPW * w);
        }
        wordSum === slotActive[t];
        var laneSum = 0;
        for (var j = 0; j < PPW; j++) {
            laneSel[t][j] <-- (slotActive[t] == 1 && hint % PPW == j) ? 1 : 0;
            laneSel[t][j] * (laneSel[t][j] - 1) === 0;
            laneSum += laneSel[t][j];
            idx += laneSel[t][j] * j;
        }
        laneSum === slotActive[t];
        index[t] = idx;
        // idx_t < n (for an inactive slot idx_t = 0 < n holds anyway).
        _ <== Num2Bits(16)(sampleCount - 1 - idx);

        // The picked word, split into 7 range-checked 32-bit lanes, and the picked lane.
        var wordValue = 0;
        for (var w = 0; w < WORDS; w++) {
            picked[t][w] <== wordSel[t][w] * pairWords[w];
            wordValue += picked[t][w];
        }
        word[t] <== wordValue;
        var recomposed = 0;
        var pairValue = 0;
        for (var j = 0; j < PPW; j++) {
            lanes[t][j] <-- (word[t] >> (OPEN_PAIR_BITS() * j)) & ((1 << OPEN_PAIR_BITS()) - 1);
            _ <== Num2Bits(OPEN_PAIR_BITS())(lanes[t][j]);
            recomposed += lanes[t][j] * (1 << (OPEN_PAIR_BITS() * j));
            laneTerm[t][j] <== laneSel[t][j] * lanes[t][j];
            pairValue += laneTerm[t][j];
        }
        recomposed === word[t];
        pair[t] <== pairValue;
    }

    // The public packings.
    for (var v = 0; v < OPEN_INDEX_WORDS(K); v++) {
        var packed = 0;
        for (var j = 0; j < IPW; j++) {
            var t = v * IPW + j;
            if (t < K) {
                packed += index[t] * (1 << (OPEN_INDEX_BITS() * j));
            } else if (t == K) {
                packed += kEff * (1 << (OPEN_INDEX_BITS() * j));
            }
        }
        indices[v] === packed;
    }
    for (var v = 0; v < OPEN_PAIR_WORDS(K); v++) {
        var packed = 0;
        for (var j = 0; j < PPW; j++) {
            var t = v * PPW + j;
            if (t < K) {
                packed += pair[t] * (1 << (OPEN_PAIR_BITS() * j));
            }
        }
        openedPairs[v] === packed;
    }
}
