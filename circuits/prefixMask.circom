pragma circom 2.2.3;

/*
 * PrefixMask(N): mask[i] = (i < length), constrained so that no other assignment satisfies it.
 *
 * Every entry is binary, the mask never rises again once it fell (mask[i] <= mask[i - 1]),
 * mask[0] = 1, and the entries sum to `length`. Together these force 1 <= length <= N and fix
 * every entry. 2N constraints. Used for the test set's samples (dispute.circom) and, in the
 * feature circuit, for the feature columns and the feature bit width (featuresDigest.circom).
 */
template PrefixMask(N) {
    assert(N >= 1);
    signal input length;
    signal output mask[N];

    var sum = 0;
    for (var i = 0; i < N; i++) {
        mask[i] <-- i < length ? 1 : 0;
        mask[i] * (mask[i] - 1) === 0;
        if (i > 0) {
            mask[i] * (1 - mask[i - 1]) === 0;
        }
        sum += mask[i];
    }
    mask[0] === 1;
    sum === length;
}
