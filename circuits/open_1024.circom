pragma circom 2.2.3;

// The Open circuit for test sets of up to 1024 samples, 16 opened (see open.circom).
include "open.circom";

component main { public [context, dataCommitment, predictionCommitment, indices, featuresRoot, openedPairs] } = Open(1024, 16);
