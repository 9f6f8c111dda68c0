pragma circom 2.2.3;

/*
 * The v2 refund circuit of ModelBazaar (docs/DISPUTES.md §5.1, issue #10): a graded refund
 * bound to committed predictions.
 *
 *   public  context              = the v2 packing (contextV2.circom): today's fields and tag,
 *                                  plus the proven shortfallBps s in bits 232..247
 *   public  dataCommitment       C_D, posted at openTest (commitmentsV2.circom)
 *   public  predictionCommitment C_P, posted with claimRefund
 *   private claimedAccuracyBps, sampleCount n, classCount, featureBits, featureCount, tag,
 *           shortfallBps, labels[N], predictions[N], featuresRoot D, salt
 *
 *   1. context packs the seven private fields exactly, each range-checked to its width.
 *   2. 1 <= n <= N; classCount >= 2; for i < n: labels[i] < classCount; for i >= n:
 *      labels[i] == 0 and predictions[i] == 0.
 *   3. correct = #{i < n : labels[i] == predictions[i]}.
 *   4. C_D == LaneChain(Poseidon(DATA_V2_DOMAIN, D, n, salt), labels) (D taken as given).
 *   5. 1 <= s <= claimedAccuracyBps and 10,000·correct < (claimedAccuracyBps − s)·n.
 *   6. every prediction < 2^16 (a 16-bit lane of C_P; one >= classCount counts as wrong here
 *      and loses a contest when opened).
 *   7. C_P == LaneChain(Poseidon(PREDICTION_DOMAIN, C_D, n, saltP), predictions) with
 *      saltP = Poseidon(PREDICTION_SALT_DOMAIN, salt) derived in-circuit.
 *
 * Constraints (circom 2.2.3 --O2, measured): Refund(256) 17,357 (2^15); Refund(1024) 62,525,
 * with 3 public inputs 62,529 of 2^16 = 65,536 (95.4%): the label range check stays here, so
 * §5.1's fallback (moving it to the Open circuit) is not needed.
 *
 * What it does NOT prove: that the labels are true (mislabelling, §4.4), anything about the
 * features beyond D (checked only on opened samples by the contest circuits), or that the
 * predictions are the model's: C_P only fixes them before the challenge, so a contest can
 * open them (§5.2, §5.3). The SDK (sdk/src/testDrives/refundCircuitInput.ts and the modules
 * it imports) is the reference; test/circuits/refund.test.ts checks both agree.
 */
include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";
include "commitmentsV2.circom";
include "contextV2.circom";
include "prefixMask.circom";

template Refund(N) {
    assert(N >= 1);
    // Public signals, in this order.
    signal input context;
    signal input dataCommitment;
    signal input predictionCommitment;

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
    signal input featuresRoot;
    signal input salt;

    // 1. The context.
    DisputeContextV2()(context, claimedAccuracyBps, sampleCount, classCount, featureBits, featureCount, tag, shortfallBps);

    // 2. Sizes, label and prediction ranges, padding. classCount - 2 in [0, 2^16) is
    // classCount >= 2 (0 and 1 wrap to p - 2, p - 1). l < classCount as l and
    // classCount - 1 - l in [0, 2^16). 6. Every prediction in [0, 2^16).
    _ <== Num2Bits(16)(classCount - 2);
    signal active[N] <== PrefixMask(N)(sampleCount);
    signal eq[N];
    var eqSum = 0;
    for (var i = 0; i < N; i++) {
        _ <== Num2Bits(16)(labels[i]);
        _ <== Num2Bits(16)(classCount - 1 - labels[i]);
        _ <== Num2Bits(16)(predictions[i]);
        (1 - active[i]) * labels[i] === 0;
        (1 - active[i]) * predictions[i] === 0;
        eq[i] <== IsEqual()([labels[i], predictions[i]]);
        eqSum += eq[i];
    }

    // 3. Padding always matches (0 == 0), so correct = sum(eq) - (N - n), in [0, n].
    signal correct <== eqSum - N + sampleCount;

    // 5. s - 1 and claim - s in [0, 2^16): 1 <= s <= claim. Then (claim - s)·n - 10,000·correct - 1
    // in [0, 2^48): both products are below 2^48 (claim - s < 2^16, n < 2^32, correct <= n), so
    // a difference of 0 or less wraps to p - k, far above 2^48.
    _ <== Num2Bits(16)(shortfallBps - 1);
    _ <== Num2Bits(16)(claimedAccuracyBps - shortfallBps);
    signal remainingTimesN <== (claimedAccuracyBps - shortfallBps) * sampleCount;
    _ <== Num2Bits(48)(remainingTimesN - correct * 10000 - 1);

    // 4. and 7. The commitments.
    var blockActive[LANE_BLOCKS(N)];
    for (var b = 0; b < LANE_BLOCKS(N); b++) {
        blockActive[b] = active[LANE_BLOCK_START(b)];
    }
    signal labelsCommitment <== DataCommitmentV2(N)(featuresRoot, sampleCount, salt, labels, blockActive);
    dataCommitment === labelsCommitment;
    signal predictionsCommitment <== PredictionCommitment(N)(dataCommitment, sampleCount, salt, predictions, blockActive);
    predictionCommitment === predictionsCommitment;
}
