pragma circom 2.2.3;

/*
 * DisputeWithFeatures(N, F): the dispute statement of dispute.circom for listings with at most
 * F features, where the proof also covers the features: instead of taking featuresDigest as
 * given, the circuit takes the quantized features[N][F] and recomputes the digest with
 * FeaturesDigest(N, F) (featuresDigest.circom), which checks 1 <= featureCount <= F,
 * featureBits <= 16, every feature below 2^featureBits and zero padding. Everything else
 * (context, labels, accuracy, commitment) is DisputeStatement(N), unchanged, so the public
 * signals and the dataCommitment are those of the digest-only circuits.
 *
 * DisputeVerifierRouter sends every proof for a listing with featureCount <= F here, so a
 * buyer of such a listing cannot skip the range checks with a digest-only proof.
 *
 * DisputeWithFeatures(256, 8) (dispute_256_f8.circom): 55,817 constraints, 44,319 more than
 * Dispute(256): 32,768 for the features' bit decompositions (16 per feature), about 11,000 for
 * the 18 Poseidon(16) blocks of the digest, the rest masks and sums. It needs a 2^16 powers of tau.
 */
include "dispute.circom";
include "featuresDigest.circom";

template DisputeWithFeatures(N, F) {
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
    signal input features[N][F];
    signal input salt;

    signal active[N] <== PrefixMask(N)(sampleCount);
    signal featuresDigest <== FeaturesDigest(N, F)(features, sampleCount, featureCount, featureBits, active);
    DisputeStatement(N)(
        context, dataCommitment, claimedAccuracyBps, sampleCount, classCount, featureBits, featureCount, tag,
        labels, predictions, active, featuresDigest, salt
    );
}
