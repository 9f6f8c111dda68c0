pragma circom 2.2.3;

/*
 * The v2 commitments of docs/DISPUTES.md §3, as the refund and open circuits recompute them.
 * References: sdk/src/testDrives/dataCommitmentV2.ts, predictionCommitment.ts, derivedSalts.ts,
 * which own the domain constants below (test/circuits/refund.test.ts checks they agree).
 *
 *   C_D   = LaneChain(Poseidon(DATA_V2_DOMAIN, D, n, salt), labels)
 *   saltP = Poseidon(PREDICTION_SALT_DOMAIN, salt)
 *   C_P   = LaneChain(Poseidon(PREDICTION_DOMAIN, C_D, n, saltP), predictions)
 *
 * The caller passes the block mask of a constrained PrefixMask(N) of n (active[LANE_BLOCK_START(b)])
 * and range-checks labels and predictions to 16 bits with zero padding (LaneChain's preconditions).
 */
include "circomlib/circuits/poseidon.circom";
include "laneChain.circom";

// The ASCII bytes of "ModelBazaar.dataCommitment.v2", big-endian.
function DATA_V2_DOMAIN() { return 2087646858340039251476974281691932707999414994186138827855472001709618; }
// The ASCII bytes of "ModelBazaar.predictions.v1", big-endian.
function PREDICTION_DOMAIN() { return 124433449407818272797881023984911359277832264596534072219432497; }
// The ASCII bytes of "ModelBazaar.predictionSalt.v1", big-endian.
function PREDICTION_SALT_DOMAIN() { return 2087646858340039251476974281696038615457795914905204972033852415309361; }

template DataCommitmentV2(N) {
    signal input featuresRoot;
    signal input sampleCount;
    signal input salt;
    signal input labels[N];
    signal input blockActive[LANE_BLOCKS(N)];
    signal output out;

    signal h0 <== Poseidon(4)([DATA_V2_DOMAIN(), featuresRoot, sampleCount, salt]);
    out <== LaneChain(N)(h0, labels, blockActive);
}

template PredictionCommitment(N) {
    signal input dataCommitment;
    signal input sampleCount;
    signal input salt;
    signal input predictions[N];
    signal input blockActive[LANE_BLOCKS(N)];
    signal output out;

    signal saltP <== Poseidon(2)([PREDICTION_SALT_DOMAIN(), salt]);
    signal h0 <== Poseidon(4)([PREDICTION_DOMAIN(), dataCommitment, sampleCount, saltP]);
    out <== LaneChain(N)(h0, predictions, blockActive);
}
