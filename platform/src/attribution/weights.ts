/**
 * Normalises non-negative raw weights so that adding them up left to right gives exactly 1.
 *
 * All but the last positive one are `raw / total`; that one is `1 − (sum of those before it)`. If that sum s (at most
 * 1) is at least ½, 1 − s is exact (Sterbenz) and s + (1 − s) is exactly 1; if s < ½, 1 − s is off by at most 2⁻⁵⁴ and
 * s + fl(1 − s) still rounds to 1. So a dashboard summing a patient's credits never shows 0.9999999999999999 patients.
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
  // The last touch with a positive raw weight takes the remainder; touches after it keep an exact 0, which adds
  // nothing to a left-to-right sum.
  let last = n - 1;
  while ((raw[last] as number) === 0) last -= 1;
  const weights = raw.map((value) => value / total);
  for (let i = last + 1; i < n; i += 1) weights[i] = 0;
  let sumOfOthers = sumInOrder(weights.slice(0, last));
  // Rounding can lift the others a few ulps over 1 when the remainder is negligible: shrink them until it is not.
  while (sumOfOthers > 1) {
    for (let i = 0; i < last; i += 1) weights[i] = (weights[i] as number) * (1 - Number.EPSILON);
    sumOfOthers = sumInOrder(weights.slice(0, last));
  }
  weights[last] = 1 - sumOfOthers;
  return weights;
}

/** Left-to-right sum, the order `weightsSummingToOne` guarantees. */
export function sumInOrder(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum;
}
