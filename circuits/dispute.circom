pragma circom 2.2.3;

/*
 * The dispute circuit of ModelBazaar (docs/PROTOCOL.md §3.1, docs/ZK.md, issue #3).
 *
 * Statement, for one circuit size N (the most samples it can hold):
 *
 *   public  context        = DisputeContext.pack(fields, tag) (contracts/libraries/DisputeContext.sol)
 *   public  dataCommitment = the buyer's commitment posted at openTest
 *                            (sdk/src/testDrives/dataCommitment.ts)
 *   private claimedAccuracyBps, sampleCount n, classCount, featureBits, featureCount, tag,
 *           labels[N], predictions[N], featuresDigest, salt
 *
 *   1. context packs the six private fields exactly as DisputeContext.pack does; every field
 *      is range-checked to its bit width, so the packing is unique (232 bits < 254).
 *   2. 1 <= n <= N; classCount >= 2 (as the registry requires); for i < n: labels[i] < classCount;
 *      for i >= n: labels[i] == 0 and predictions[i] == 0 (canonical padding).
 *      Predictions are not range-checked: one that is not a valid class (>= classCount, or any
 *      other field element) never equals a label, so it can only count as wrong, which the
 *      buyer can always achieve with a valid wrong class anyway (classCount >= 2 guarantees
 *      one exists). A range check would add no soundness and cost 32 constraints per sample.
 *   3. correct = #{i < n : labels[i] == predictions[i]} and correct * 10000 < claimedAccuracyBps * n.
 *   4. dataCommitment == commit(featuresDigest, n, labels[0..n), salt), a commitment that does
 *      not depend on N (the buyer commits before anyone knows which circuit size proves it):
 *        h0      = Poseidon(DOMAIN, featuresDigest, n, salt)
 *        words   = the labels packed LABELS_PER_WORD to a field element, LABEL_BITS bits each,
 *                  least significant first (a last partial word is zero-filled)
 *        commit  = PoseidonChain(h0, words)   (poseidonChain.circom: 15 words per Poseidon(16))
 *
 * Two circuits state it (docs/ZK.md, "Which checks a proof covers"):
 *   - Dispute(N) (this file, mains dispute_<N>.circom): featuresDigest is a private input taken
 *     as given. It serves listings with more features than the feature circuit holds; their
 *     feature ranges are NOT checked by the proof (featureBits and featureCount are only bound
 *     through the context).
 *   - DisputeWithFeatures(N, F) (disputeWithFeatures.circom): recomputes featuresDigest from
 *     the features and checks their ranges; the router requires it for featureCount <= F.
 * Both share DisputeStatement(N) below, which checks 1-4 given the sample mask and the digest.
 *
 * Constraints (circom --O2): Dispute(256) 11,498; Dispute(1024) 42,530;
 * DisputeWithFeatures(256, 8) 55,817 (2^16 powers of tau).
 *
 * What it does NOT prove:
 *   - The predictions are private and bound to nothing on-chain: they are the buyer's own
 *     decryption of the worker's encrypted scores. A buyer can always feed wrong predictions
 *     (as a buyer can always mislabel data); the economics and the public dispute history
 *     bound that abuse (docs/THREAT-MODEL.md). The circuit still forbids every witness whose
 *     count, padding, label ranges or commitment disagree with the inputs it is given.
 *
 * The constants below are owned by sdk/src/testDrives/dataCommitment.ts; test/circuits/
 * dispute.test.ts asserts that both agree.
 */

include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";
include "circomlib/circuits/poseidon.circom";
include "poseidonChain.circom";
include "prefixMask.circom";

// Bits per packed label: classCount is a uint16, so every valid label fits.
function LABEL_BITS() { return 16; }
// Labels per field element: 15 * 16 = 240 bits < 254.
function LABELS_PER_WORD() { return 15; }
// The ASCII bytes of "ModelBazaar.dataCommitment.v1", big-endian.
function COMMITMENT_DOMAIN() { return 2087646858340039251476974281691932707999414994186138827855472001709617; }
// Bit widths of DisputeContext.sol's layout, least significant first.
function BPS_BITS() { return 16; }
function SAMPLE_COUNT_BITS() { return 32; }
function CLASS_COUNT_BITS() { return 16; }
function FEATURE_BITS_BITS() { return 8; }
function FEATURE_COUNT_BITS() { return 32; }
function TAG_BITS() { return 128; }

/*
 * Checks 1-4 of the header for a sample mask `active` that the caller constrained to be
 * PrefixMask(N)(sampleCount) (which also forces 1 <= n <= N) and a given featuresDigest.
 */
template DisputeStatement(N) {
    assert(N >= 1);
    var LPW = LABELS_PER_WORD();
    var WORDS = (N + LPW - 1) \ LPW;

    // Public signals, in the order of IDisputeVerifier's pubSignals.
    signal input context;
    signal input dataCommitment;

    // The unpacked context.
    signal input claimedAccuracyBps;
    signal input sampleCount;
    signal input classCount;
    signal input featureBits;
    signal input featureCount;
    signal input tag;

    signal input labels[N];
    signal input predictions[N];
    // active[i] = (i < sampleCount), constrained by the caller with PrefixMask(N).
    signal input active[N];
    signal input featuresDigest;
    signal input salt;

    // 1. The context: each field in range, then the packing.
    _ <== Num2Bits(BPS_BITS())(claimedAccuracyBps);
    _ <== Num2Bits(SAMPLE_COUNT_BITS())(sampleCount);
    _ <== Num2Bits(CLASS_COUNT_BITS())(classCount);
    _ <== Num2Bits(FEATURE_BITS_BITS())(featureBits);
    _ <== Num2Bits(FEATURE_COUNT_BITS())(featureCount);
    _ <== Num2Bits(TAG_BITS())(tag);
    // classCount >= 2: classCount - 2 in [0, 2^16) (a class count of 0 or 1 wraps to p - 2 or p - 1).
    _ <== Num2Bits(CLASS_COUNT_BITS())(classCount - 2);
    context === claimedAccuracyBps
        + sampleCount * (1 << 16)
        + classCount * (1 << 48)
        + featureBits * (1 << 64)
        + featureCount * (1 << 72)
        + tag * (1 << 104);

    // 2. Label ranges and padding. l < classCount as l in [0, 2^16) and classCount - 1 - l in
    // [0, 2^16) (on padding l = 0, fine as classCount >= 2). Predictions are any field
    // element (see the header), so the padding needs one constraint for each: a nonzero
    // padding prediction would make eq = 0 there and lower the count below.
    signal eq[N];
    var eqSum = 0;
    for (var i = 0; i < N; i++) {
        _ <== Num2Bits(LABEL_BITS())(labels[i]);
        _ <== Num2Bits(LABEL_BITS())(classCount - 1 - labels[i]);
        (1 - active[i]) * labels[i] === 0;
        (1 - active[i]) * predictions[i] === 0;
        eq[i] <== IsEqual()([labels[i], predictions[i]]);
        eqSum += eq[i];
    }

    // 3. Padding always matches (0 == 0), so correct = sum(eq) - (N - n), in [0, n].
    // Strictly below: claimedAccuracyBps * n - correct * 10000 - 1 in [0, 2^48). Both products
    // are below 2^48 (correct <= n < 2^32, claimedAccuracyBps < 2^16), so a difference of 0 or
    // less wraps to p - k, far above 2^48, and the bit decomposition fails.
    signal correct <== eqSum - N + sampleCount;
    signal claimedTimesN <== claimedAccuracyBps * sampleCount;
    _ <== Num2Bits(48)(claimedTimesN - correct * 10000 - 1);

    // 4. The commitment. Word w holds labels 15w..15w+14; block b holds a sample iff its
    // first label, 15 * 15 * b, is one.
    var words[WORDS];
    for (var w = 0; w < WORDS; w++) {
        var word = 0;
        for (var j = 0; j < LPW; j++) {
            if (w * LPW + j < N) {
                word += labels[w * LPW + j] * (1 << (LABEL_BITS() * j));
            }
        }
        words[w] = word;
    }
    var blockActive[CHAIN_BLOCKS(WORDS)];
    for (var b = 0; b < CHAIN_BLOCKS(WORDS); b++) {
        blockActive[b] = active[b * LPW * WORDS_PER_BLOCK()];
    }
    signal h0 <== Poseidon(4)([COMMITMENT_DOMAIN(), featuresDigest, sampleCount, salt]);
    signal commitment <== PoseidonChain(WORDS)(h0, words, blockActive);
    dataCommitment === commitment;
}

/*
 * The digest-only dispute circuit: featuresDigest is a private input taken as given (see the
 * header for the listings it serves).
 */
template Dispute(N) {
    signal input context;
    signal input dataCommitment;
    signal input claimedAccuracyBps;
    signal input sampleCount;
    signal input classCount;
    signal input featureBits;
    signal input featureCount;
    signal input tag;
    signal input labels[N];
    signal input predictions[N];
    signal input featuresDigest;
    signal input salt;

    signal active[N] <== PrefixMask(N)(sampleCount);
    DisputeStatement(N)(
        context, dataCommitment, claimedAccuracyBps, sampleCount, classCount, featureBits, featureCount, tag,
        labels, predictions, active, featuresDigest, salt
    );
}
