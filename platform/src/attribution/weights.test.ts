import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sumInOrder, weightsSummingToOne } from './weights.ts';

describe('weights summing to exactly one', () => {
  it('holds where the others round to just over 1: a negligible or zero weight last', () => {
    for (const raw of [
      [1.5697789341912833e-301, 1.5783470828047342e-301, 7.885533685835239e-302, 0],
      [0.3, 0.3, 0.4, 1e-300],
      [0.1, 0.2, 0.3, 0, 0],
    ]) {
      const weights = weightsSummingToOne(raw);
      expect(sumInOrder(weights)).toBe(1);
      raw.forEach((value, i) => expect(value === 0 ? weights[i] === 0 : weights[i]! >= 0).toBe(true));
    }
  });

  it('holds for any non-negative weights, however far apart in magnitude, and keeps zeros zero', () => {
    const weight = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(0), fc.double({ min: 0, max: 1e-300, noNaN: true }), fc.double({ min: 0, max: 1e300, noNaN: true }));
    fc.assert(
      fc.property(fc.array(weight, { minLength: 1, maxLength: 40 }).filter((raw) => raw.some((x) => x > 0)), (raw) => {
        const weights = weightsSummingToOne(raw);
        expect(sumInOrder(weights)).toBe(1);
        expect(weights.every((w, i) => w >= 0 && (raw[i] !== 0 || w === 0))).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });
});
