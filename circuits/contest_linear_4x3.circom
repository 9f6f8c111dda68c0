pragma circom 2.2.3;

// The contest circuit for Linear plans of up to 4 features and 3 classes (iris-logreg), see
// contestLinear.circom.
include "contestLinear.circom";

component main { public [planCommitment, featuresRoot, meta, sigma, siblings, featureWords] } = ContestLinear(4, 3);
