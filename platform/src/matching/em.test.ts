import { describe, expect, it } from 'vitest';
import { ROLES, type ComparisonSpec, type Role } from './comparisons.ts';
import { estimateModel, packVector } from './em.ts';
import { scorePattern, weightsOf } from './score.ts';

const flat = (value: number) => Object.fromEntries(ROLES.map((r) => [r, value])) as Record<Role, number>;
const spec = (name: string, levels: number): ComparisonSpec => ({
  name,
  levels: Array.from({ length: levels }, (_, l) => ({ name: `${name}${l}`, prior: flat(1) })),
});
/** A comparison whose level says the role outright: EM then has labelled data and must find the exact MLE. */
const marker: ComparisonSpec = {
  name: 'marker',
  levels: ROLES.map((role) => ({ name: role, prior: { ...flat(0), [role]: 1 } })),
};

/** Exact expected counts of every pattern under independent per-role distributions. */
function patterns(roles: Partial<Record<Role, { count: number; a: number[]; b: number[] }>>, withMarker: boolean) {
  const out = new Map<number, number>();
  for (const [role, { count, a, b }] of Object.entries(roles)) {
    a.forEach((pa, la) =>
      b.forEach((pb, lb) => {
        const vector = withMarker ? [la, lb, ROLES.indexOf(role as Role)] : [la, lb];
        const code = packVector(vector, vector.length);
        out.set(code, (out.get(code) ?? 0) + count * pa * pb);
      }),
    );
  }
  return out;
}

describe('EM estimation of role shares and level probabilities', () => {
  it('recovers the distributions behind the patterns when the roles are identifiable', () => {
    const data = patterns(
      {
        contact: { count: 3000, a: [0.7, 0.2, 0.1], b: [0.9, 0.1] },
        stranger: { count: 7000, a: [0.1, 0.3, 0.6], b: [0.2, 0.8] },
      },
      true,
    );
    const model = estimateModel([spec('a', 3), spec('b', 2), marker], data, { priorStrength: 0 });
    expect(model.converged).toBe(true);
    expect(model.share[ROLES.indexOf('contact')]).toBeCloseTo(0.3, 3);
    expect(model.share[ROLES.indexOf('stranger')]).toBeCloseTo(0.7, 3);
    expect(model.probability[ROLES.indexOf('contact')]![0]).toEqual([0.7, 0.2, 0.1].map((p) => expect.closeTo(p, 3)));
    expect(model.probability[ROLES.indexOf('stranger')]![1]).toEqual([0.2, 0.8].map((p) => expect.closeTo(p, 3)));
  });

  it('keeps structural zeros at zero and fixed-shape comparisons in their shape', () => {
    const data = patterns({ contact: { count: 500, a: [0.5, 0.5, 0], b: [0.5, 0.5] }, stranger: { count: 500, a: [0.2, 0.2, 0.6], b: [0.9, 0.1] } }, false);
    const a = spec('a', 3);
    const constrained: ComparisonSpec = { ...a, levels: a.levels.map((l, i) => (i === 2 ? { ...l, prior: { ...l.prior, contact: 0 } } : l)) };
    const model = estimateModel([constrained, spec('b', 2)], data, {}, [{ comparison: 1, role: 'relative', components: [[0.25, 0.75]] }]);
    expect(model.probability[ROLES.indexOf('contact')]![0]![2]).toBe(0);
    expect(model.probability[ROLES.indexOf('relative')]![1]).toEqual([0.25, 0.75]);
  });

  it('separates links from non-links without labels, starting from the priors', () => {
    const informative = (name: string): ComparisonSpec => ({
      name,
      levels: [
        { name: 'agree', prior: { ...flat(0.2), contact: 0.8 } },
        { name: 'disagree', prior: { ...flat(0.8), contact: 0.2 } },
      ],
    });
    // Nothing in the data is a booking, so the booked roles must end up empty rather than share the links.
    const bookings: ComparisonSpec = {
      name: 'booking',
      levels: [
        { name: 'none', prior: { ...flat(1), booked: 0, family: 0 } },
        { name: 'booked', prior: { ...flat(0), booked: 1, family: 1 } },
      ],
    };
    const comparisons = [...['x', 'y', 'z'].map(informative), bookings];
    const data = new Map<number, number>();
    for (let code = 0; code < 8; code++) {
      const agreeing = [0, 1, 2].filter((k) => ((code >> k) & 1) === 0).length;
      const link = 0.25 * 0.9 ** agreeing * 0.1 ** (3 - agreeing);
      const other = 0.75 * 0.15 ** agreeing * 0.85 ** (3 - agreeing);
      data.set(packVector([code & 1, (code >> 1) & 1, (code >> 2) & 1, 0], 4), Math.round(20_000 * (link + other)));
    }
    const weights = weightsOf(estimateModel(comparisons, data));
    expect(scorePattern(weights, packVector([0, 0, 0, 0], 4)).confidence).toBeGreaterThan(0.95);
    expect(scorePattern(weights, packVector([1, 1, 1, 0], 4)).confidence).toBeLessThan(0.05);
  });
});
