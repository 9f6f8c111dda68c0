/**
 * Ridge least squares through the normal equations and a Cholesky factorization: the solver
 * behind the equation-solving attack. With as many independent exact equations as unknowns
 * (and a vanishing ridge) it solves the system exactly.
 */

/**
 * Θ (p x k, row-major) minimizing |AΘ − Y|² + ridge·|Θ|², for A (rows x p) and Y (rows x k)
 * row-major. Throws when the normal matrix is not positive definite (ridge 0, too few rows).
 */
export function leastSquares(a: Float64Array, y: Float64Array, rows: number, p: number, k: number, ridge: number): Float64Array {
  if (a.length !== rows * p || y.length !== rows * k) throw new RangeError(`A must be ${rows} x ${p} and Y ${rows} x ${k}.`);
  const normal = new Float64Array(p * p);
  const rhs = new Float64Array(p * k);
  for (let r = 0; r < rows; r++) {
    const row = a.subarray(r * p, (r + 1) * p);
    for (let i = 0; i < p; i++) {
      const ai = row[i]!;
      if (ai === 0) continue;
      for (let j = 0; j <= i; j++) normal[i * p + j]! += ai * row[j]!;
      for (let c = 0; c < k; c++) rhs[i * k + c]! += ai * y[r * k + c]!;
    }
  }
  for (let i = 0; i < p; i++) normal[i * p + i]! += ridge;
  choleskyInPlace(normal, p);
  return choleskySolve(normal, rhs, p, k);
}

/** Lower-triangular L with L Lᵀ = M, written over M's lower triangle. */
function choleskyInPlace(m: Float64Array, p: number): void {
  for (let j = 0; j < p; j++) {
    let d = m[j * p + j]!;
    for (let t = 0; t < j; t++) d -= m[j * p + t]! ** 2;
    if (!(d > 0)) throw new RangeError(`The normal matrix is singular at column ${j}: fewer independent queries than unknowns.`);
    const l = Math.sqrt(d);
    m[j * p + j] = l;
    for (let i = j + 1; i < p; i++) {
      let s = m[i * p + j]!;
      for (let t = 0; t < j; t++) s -= m[i * p + t]! * m[j * p + t]!;
      m[i * p + j] = s / l;
    }
  }
}

function choleskySolve(l: Float64Array, b: Float64Array, p: number, k: number): Float64Array {
  const x = Float64Array.from(b);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < p; i++) {
      let s = x[i * k + c]!;
      for (let t = 0; t < i; t++) s -= l[i * p + t]! * x[t * k + c]!;
      x[i * k + c] = s / l[i * p + i]!;
    }
    for (let i = p - 1; i >= 0; i--) {
      let s = x[i * k + c]!;
      for (let t = i + 1; t < p; t++) s -= l[t * p + i]! * x[t * k + c]!;
      x[i * k + c] = s / l[i * p + i]!;
    }
  }
  return x;
}
