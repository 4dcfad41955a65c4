/**
 * Solves A·x = b for a small dense system by Gaussian elimination with partial pivoting (A row-major, n×n). The
 * Markov chain has one state per channel plus start, so n ≤ 12 and a direct solve is exact to rounding and instant.
 * Throws if A is singular, which an absorbing chain's I − Q never is.
 */
export function solveLinearSystem(matrix: Float64Array, rightHandSide: Float64Array, n: number): Float64Array {
  const a = Float64Array.from(matrix);
  const x = Float64Array.from(rightHandSide);
  for (let column = 0; column < n; column += 1) {
    let pivotRow = column;
    let pivotSize = Math.abs(a[column * n + column] as number);
    for (let row = column + 1; row < n; row += 1) {
      const size = Math.abs(a[row * n + column] as number);
      if (size > pivotSize) {
        pivotRow = row;
        pivotSize = size;
      }
    }
    if (!(pivotSize > 0)) throw new RangeError('the linear system is singular');
    if (pivotRow !== column) {
      for (let k = 0; k < n; k += 1) {
        const tmp = a[column * n + k] as number;
        a[column * n + k] = a[pivotRow * n + k] as number;
        a[pivotRow * n + k] = tmp;
      }
      const tmp = x[column] as number;
      x[column] = x[pivotRow] as number;
      x[pivotRow] = tmp;
    }
    const pivot = a[column * n + column] as number;
    for (let row = column + 1; row < n; row += 1) {
      const factor = (a[row * n + column] as number) / pivot;
      if (factor === 0) continue;
      for (let k = column; k < n; k += 1) a[row * n + k] = (a[row * n + k] as number) - factor * (a[column * n + k] as number);
      x[row] = (x[row] as number) - factor * (x[column] as number);
    }
  }
  for (let row = n - 1; row >= 0; row -= 1) {
    let sum = x[row] as number;
    for (let k = row + 1; k < n; k += 1) sum -= (a[row * n + k] as number) * (x[k] as number);
    x[row] = sum / (a[row * n + row] as number);
  }
  return x;
}
