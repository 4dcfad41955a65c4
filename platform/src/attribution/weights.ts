/**
 * Normalises non-negative raw weights so that adding them up left to right gives exactly 1.
 *
 * All but the last are `raw / total`; the last is `1 − (sum of the others)`. If that sum s is at least ½, 1 − s is
 * exact (Sterbenz) and s + (1 − s) is exactly 1; if s < ½, 1 − s is off by at most 2⁻⁵⁴ and s + fl(1 − s) still
 * rounds to 1. So a dashboard summing a patient's credits never shows 0.9999999999999999 patients.
 */
export function weightsSummingToOne(raw: readonly number[]): number[] {
  const n = raw.length;
  if (n === 0) return [];
  let total = 0;
  let compensation = 0; // Neumaier summation: raw weights can span many orders of magnitude (time decay)
  for (const value of raw) {
    if (!(value >= 0) || !Number.isFinite(value)) throw new RangeError(`weights must be finite and non-negative, got ${value}`);
    const next = total + value;
    compensation += Math.abs(total) >= Math.abs(value) ? total - next + value : value - next + total;
    total = next;
  }
  total += compensation;
  if (!(total > 0)) throw new RangeError('at least one weight must be positive');
  const weights = new Array<number>(n);
  let sumOfOthers = 0;
  for (let i = 0; i < n - 1; i += 1) {
    const weight = (raw[i] as number) / total;
    weights[i] = weight;
    sumOfOthers += weight;
  }
  // sumOfOthers can exceed 1 by an ulp when the last raw weight is negligible; 0 is then the honest last weight.
  weights[n - 1] = Math.max(0, 1 - sumOfOthers);
  return weights;
}

/** Left-to-right sum, the order `weightsSummingToOne` guarantees. */
export function sumInOrder(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum;
}
