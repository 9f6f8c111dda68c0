/**
 * The little linear algebra the recommender needs, on plain Float64Arrays: dot products, norms
 * and the solution of a small symmetric positive-definite system (Cholesky), which is how a
 * user factor is fitted on the device.
 */

/** Σ a[aOffset + k] · b[bOffset + k] for k < length. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>, length = a.length, aOffset = 0, bOffset = 0): number {
  let sum = 0;
  for (let k = 0; k < length; k++) sum += a[aOffset + k]! * b[bOffset + k]!;
  return sum;
}

/** The Euclidean norm of a vector. */
export function l2Norm(values: ArrayLike<number>): number {
  return Math.sqrt(dot(values, values));
}

/**
 * Solves A·x = b for a symmetric positive-definite `n`×`n` matrix A (row-major), by Cholesky.
 * Throws if A is not positive definite (a regularized normal matrix always is).
 */
export function solveSymmetric(matrix: Float64Array, rhs: Float64Array, n: number): Float64Array {
  const lower = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= lower[i * n + k]! * lower[j * n + k]!;
      if (i === j) {
        if (!(sum > 0)) throw new RangeError("the system is not positive definite; raise the regularization");
        lower[i * n + i] = Math.sqrt(sum);
      } else lower[i * n + j] = sum / lower[j * n + j]!;
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = rhs[i]!;
    for (let k = 0; k < i; k++) sum -= lower[i * n + k]! * y[k]!;
    y[i] = sum / lower[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let k = i + 1; k < n; k++) sum -= lower[k * n + i]! * x[k]!;
    x[i] = sum / lower[i * n + i]!;
  }
  return x;
}
