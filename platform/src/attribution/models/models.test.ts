import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChannelId } from '../../channels/index.ts';
import { attributionModelIds } from '../attribution-settings.ts';
import { touchpoint, touchpoints } from '../testing.ts';
import { sumInOrder } from '../weights.ts';
import { creditModels, firstTouch, lastTouch, linear, markovCredit, positionBased, timeDecay, type CreditContext } from './index.ts';

const context: CreditContext = { halfLifeDays: 7, markovShares: new Map([['paid-search', 0.5], ['organic-search', 0.3], ['google-business-profile', 0.2]]) };

const arbitraryJourney = fc.array(
  fc.record({ channel: fc.constantFrom(...ChannelId.options), daysBeforeFirstVisit: fc.integer({ min: 0, max: 3650 }) }),
  { minLength: 1, maxLength: 40 },
).map((touches) => touches.sort((a, b) => b.daysBeforeFirstVisit - a.daysBeforeFirstVisit).map((t, i) => touchpoint({ id: `lead:${i}`, ...t })));

const arbitraryContext = fc.record({
  halfLifeDays: fc.double({ min: 0.01, max: 1000, noNaN: true }),
  markovShares: fc.dictionary(fc.constantFrom(...ChannelId.options), fc.double({ min: 0, max: 1, noNaN: true })).map((shares) => new Map(Object.entries(shares) as [ChannelId, number][])),
});

describe('every credit model', () => {
  it.each(attributionModelIds)('%s gives one non-negative weight per touch, adding up to exactly 1', (model) => {
    fc.assert(
      fc.property(arbitraryJourney, arbitraryContext, (journey, modelContext) => {
        const weights = creditModels[model](journey, modelContext);
        expect(weights).toHaveLength(journey.length);
        expect(weights.every((w) => w >= 0 && Number.isFinite(w))).toBe(true);
        expect(sumInOrder(weights)).toBe(1);
      }),
      { numRuns: 300 },
    );
  });
});

describe('first and last touch', () => {
  it('give everything to the first and to the last touch', () => {
    expect(firstTouch(touchpoints(3), context)).toEqual([1, 0, 0]);
    expect(lastTouch(touchpoints(3), context)).toEqual([0, 0, 1]);
  });
});

describe('linear', () => {
  it('splits evenly', () => {
    expect(linear(touchpoints(4), context)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });
});

describe('time decay', () => {
  it('halves the weight for every half-life further from the first visit', () => {
    const journey = [touchpoint({ id: 'a', daysBeforeFirstVisit: 14 }), touchpoint({ id: 'b', daysBeforeFirstVisit: 7 }), touchpoint({ id: 'c', daysBeforeFirstVisit: 0 })];
    const [a, b, c] = timeDecay(journey, context) as [number, number, number];
    expect(b / a).toBeCloseTo(2, 12);
    expect(c / b).toBeCloseTo(2, 12);
    expect(c).toBeCloseTo(4 / 7, 12);
  });

  it('does not underflow when every touch is ancient relative to the half-life', () => {
    const journey = [touchpoint({ id: 'a', daysBeforeFirstVisit: 3000 }), touchpoint({ id: 'b', daysBeforeFirstVisit: 2999 })];
    const weights = timeDecay(journey, { ...context, halfLifeDays: 1 });
    expect(weights[0]).toBeCloseTo(1 / 3, 12);
    expect(weights[1]).toBeCloseTo(2 / 3, 12);
  });

  it('rejects a half-life that is not positive', () => {
    expect(() => timeDecay(touchpoints(2), { ...context, halfLifeDays: 0 })).toThrow(/half-life/);
  });
});

describe('position based (40/20/40)', () => {
  it('gives a lone touch everything and two touches half each (there is no middle for the 20%)', () => {
    expect(positionBased(touchpoints(1), context)).toEqual([1]);
    expect(positionBased(touchpoints(2), context)).toEqual([0.5, 0.5]);
  });

  it('gives 40% to the first and last touches and shares 20% among the middle', () => {
    const weights = positionBased(touchpoints(4), context);
    expect(weights[0]).toBeCloseTo(0.4, 15);
    expect(weights[1]).toBeCloseTo(0.1, 15);
    expect(weights[2]).toBeCloseTo(0.1, 15);
    expect(weights[3]).toBeCloseTo(0.4, 15);
  });
});

describe('Markov credit for one patient', () => {
  it("restricts the practice's channel shares to the patient's channels and renormalises", () => {
    const weights = markovCredit(touchpoints(2, ['paid-search', 'organic-search']), context);
    expect(weights[0]).toBeCloseTo(0.5 / 0.8, 12);
    expect(weights[1]).toBeCloseTo(0.3 / 0.8, 12);
  });

  it("splits a channel's share evenly among its touches", () => {
    const weights = markovCredit(touchpoints(3, ['paid-search', 'google-business-profile', 'paid-search']), context);
    expect(weights[0]).toBeCloseTo(0.25 / 0.7, 12);
    expect(weights[1]).toBeCloseTo(0.2 / 0.7, 12);
    expect(weights[2]).toBeCloseTo(0.25 / 0.7, 12);
  });

  it('falls back to linear when none of the channels earned a share', () => {
    expect(markovCredit(touchpoints(2, ['email', 'display']), context)).toEqual([0.5, 0.5]);
  });

  it('credits a channel whose share is the smallest double, split among its touches (found by the property above)', () => {
    const tiny = { ...context, markovShares: new Map([['email', Number.MIN_VALUE]]) } as CreditContext;
    expect(markovCredit(touchpoints(2, ['email', 'email']), tiny)).toEqual([0.5, 0.5]);
  });
});
