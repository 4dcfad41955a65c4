import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateByLargestRemainder } from './allocate.ts';

const arbitraryWeights = fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 30 }).filter((w) => w.some((x) => x > 0));

describe('splitting cents by largest remainder', () => {
  it('adds up to the amount exactly, for any amount and any weights', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), arbitraryWeights, (amount, weights) => {
        const parts = allocateByLargestRemainder(amount, weights);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(amount);
        expect(parts.every(Number.isSafeInteger)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps every part within a cent of its exact share, and gives nothing to a zero weight', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), arbitraryWeights, (amount, weights) => {
        const total = weights.reduce((a, b) => a + b, 0);
        allocateByLargestRemainder(amount, weights).forEach((part, i) => {
          const exact = (amount * (weights[i] as number)) / total;
          expect(Math.abs(part - exact)).toBeLessThan(1 + 1e-6);
          if (weights[i] === 0) expect(part).toBe(0);
        });
      }),
    );
  });

  it('gives the leftover cent to the largest remainder, ties to the earlier touchpoint', () => {
    expect(allocateByLargestRemainder(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocateByLargestRemainder(200, [1, 1, 1])).toEqual([67, 67, 66]);
    expect(allocateByLargestRemainder(10, [0.26, 0.74])).toEqual([3, 7]);
  });

  it('mirrors a refund: the negative amount splits like the positive one', () => {
    expect(allocateByLargestRemainder(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
  });

  it('refuses amounts that are not whole cents and weights that cannot split anything', () => {
    expect(() => allocateByLargestRemainder(10.5, [1])).toThrow(/safe integer/);
    expect(() => allocateByLargestRemainder(10, [])).toThrow(/no weights/);
    expect(() => allocateByLargestRemainder(10, [0, 0])).toThrow(/positive/);
  });
});
