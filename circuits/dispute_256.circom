pragma circom 2.2.3;

// The dispute circuit for test sets of up to 256 samples (see dispute.circom).
include "dispute.circom";

component main { public [context, dataCommitment] } = Dispute(256);
