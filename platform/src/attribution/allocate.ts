/**
 * Splits an integer amount (cents, or millionths of a patient) by weights so the parts add up to it exactly:
 * every part gets the floor of its exact share, and the units left over go one each to the largest fractional
 * remainders (Hamilton's largest-remainder method), ties to the earlier touchpoint. A negative amount (a refund) is
 * split as its magnitude and negated, so refunds mirror payments. Deterministic: same inputs, same cents.
 */
export function allocateByLargestRemainder(amount: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`amount must be a safe integer, got ${amount}`);
  const n = weights.length;
  if (n === 0) throw new RangeError('cannot allocate an amount over no weights');
  if (amount < 0) return allocateByLargestRemainder(-amount, weights).map((part) => (part === 0 ? 0 : -part));
  if (n === 1) return [amount];
  if (amount === 0) return new Array<number>(n).fill(0);

  let total = 0;
  for (const weight of weights) {
    if (!(weight >= 0) || !Number.isFinite(weight)) throw new RangeError(`weights must be finite and non-negative, got ${weight}`);
    total += weight;
  }
  if (!(total > 0)) throw new RangeError('at least one weight must be positive');

  const parts = new Array<number>(n);
  const remainders = new Array<number>(n);
  let allocated = 0;
  for (let i = 0; i < n; i += 1) {
    const exact = (amount * (weights[i] as number)) / total;
    const floor = Math.floor(exact);
    parts[i] = floor;
    remainders[i] = exact - floor;
    allocated += floor;
  }
  let leftOver = amount - allocated;
  // Rounding in `exact` can make the floors overshoot by a unit when a share sits a hair above an integer.
  while (leftOver < 0) {
    const i = indexOfExtremeRemainder(remainders, parts, 'smallest');
    parts[i] = (parts[i] as number) - 1;
    remainders[i] = (remainders[i] as number) + 1;
    leftOver += 1;
  }
  while (leftOver > 0) {
    const i = indexOfExtremeRemainder(remainders, parts, 'largest');
    parts[i] = (parts[i] as number) + 1;
    remainders[i] = -Infinity; // one extra unit per part at most
    leftOver -= 1;
  }
  return parts;
}

/**
 * Remainders closer than this are a tie. Weights that should be equal rarely are in floating point (1/3, 1/3 and
 * 1 − 2/3 differ in the last bit), and "ties go to the earlier touchpoint" must not depend on that bit.
 */
const TIE = 1e-9;

function indexOfExtremeRemainder(remainders: readonly number[], parts: readonly number[], which: 'largest' | 'smallest'): number {
  let best = -1;
  for (let i = 0; i < remainders.length; i += 1) {
    const r = remainders[i] as number;
    if (which === 'smallest' && (parts[i] as number) <= 0) continue;
    if (best === -1 || (which === 'largest' ? r > (remainders[best] as number) + TIE : r < (remainders[best] as number) - TIE)) best = i;
  }
  return best;
}
