pragma circom 2.2.3;

// The contest circuit for SquareMlp plans of 4 features, 8 hidden units and up to 3 classes
// (iris-square-mlp), see contestSquareMlp.circom.
include "contestSquareMlp.circom";

component main { public [planCommitment, featuresRoot, meta, sigma, siblings, featureWords] } = ContestSquareMlp(4, 8, 3);
