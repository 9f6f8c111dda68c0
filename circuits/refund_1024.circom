pragma circom 2.2.3;

// The v2 refund circuit for test sets of up to 1024 samples (see refund.circom).
include "refund.circom";

component main { public [context, dataCommitment, predictionCommitment] } = Refund(1024);
