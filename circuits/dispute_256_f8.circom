pragma circom 2.2.3;

// The dispute circuit for test sets of up to 256 samples of up to 8 features, with the
// feature ranges checked in-circuit (see disputeWithFeatures.circom).
include "disputeWithFeatures.circom";

component main { public [context, dataCommitment] } = DisputeWithFeatures(256, 8);
