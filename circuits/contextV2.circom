pragma circom 2.2.3;

/*
 * DisputeContextV2(): the packed public signal of a v2 refund (docs/DISPUTES.md §5.1,
 * sdk/src/testDrives/disputeContextV2.ts is its reference). Layout, least significant first:
 *
 *   claimedAccuracyBps 16 | sampleCount 32 | classCount 16 | featureBits 8 | featureCount 32 |
 *   tag 128 | shortfallBps 16            (bits 0..247; today's context is bits 0..231)
 *
 * Every field is range-checked to its width, so 248 < 254 bits make the packing unique: no two
 * assignments of in-range fields give the same field element. 248 constraints.
 */
include "circomlib/circuits/bitify.circom";

template DisputeContextV2() {
    signal input context;
    signal input claimedAccuracyBps;
    signal input sampleCount;
    signal input classCount;
    signal input featureBits;
    signal input featureCount;
    signal input tag;
    signal input shortfallBps;

    _ <== Num2Bits(16)(claimedAccuracyBps);
    _ <== Num2Bits(32)(sampleCount);
    _ <== Num2Bits(16)(classCount);
    _ <== Num2Bits(8)(featureBits);
    _ <== Num2Bits(32)(featureCount);
    _ <== Num2Bits(128)(tag);
    _ <== Num2Bits(16)(shortfallBps);
    context === claimedAccuracyBps
        + sampleCount * (1 << 16)
        + classCount * (1 << 48)
        + featureBits * (1 << 64)
        + featureCount * (1 << 72)
        + tag * (1 << 104)
        + shortfallBps * (1 << 232);
}
