pragma circom 2.2.3;

// The contest circuit for Linear plans of up to 784 features and 10 classes (mnist-logreg), see
// contestLinear.circom.
include "contestLinear.circom";

component main { public [planCommitment, featuresRoot, meta, sigma, siblings, featureWords] } = ContestLinear(784, 10);
