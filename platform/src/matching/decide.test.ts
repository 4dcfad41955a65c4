import { describe, expect, it } from 'vitest';
import { COMPARISONS } from './comparisons.ts';
import { decide, decideLead, DEFAULT_THRESHOLDS, rankReviewQueue, type PairResult } from './decide.ts';
import { packVector } from './em.ts';

const thresholds = { link: 0.8, review: 0.3 };
// Evidence 0 packs every comparison at its first level: a phone match.
const scored = (patientId: string, confidence: number) => ({ patientId, confidence, evidence: 0 });

describe('decisions', () => {
  it.each([
    [0.95, 'link'],
    [0.8, 'link'],
    [0.7999, 'review'],
    [0.3, 'review'],
    [0.2999, 'none'],
    [0, 'none'],
  ] as const)('routes confidence %d to %s', (confidence, decision) => {
    expect(decide(confidence, thresholds)).toBe(decision);
  });

  it('refuses a review threshold above the link threshold', () => {
    expect(() => decide(0.5, { link: 0.4, review: 0.6 })).toThrow(RangeError);
  });

  it('links above 0.5 and queues from 0.15 by default', () => {
    expect([0.5, 0.49, 0.15, 0.14].map((c) => decide(c, DEFAULT_THRESHOLDS))).toEqual(['link', 'review', 'review', 'none']);
  });

  it('keeps only linked and queued pairs of a lead, named by their strongest evidence', () => {
    const results = decideLead('L1', [scored('P1', 0.9), scored('P2', 0.5), scored('P3', 0.1)], new Map(), thresholds);
    expect(results.map((r) => [r.patientId, r.decision])).toEqual([
      ['P1', 'link'],
      ['P2', 'review'],
    ]);
  });

  it('lets a manual "not a match" remove a pair the model is sure of, and a manual link add one it never proposed', () => {
    const manual = new Map([
      ['P1', 'not_a_match' as const],
      ['P9', 'link' as const],
    ]);
    const results = decideLead('L1', [scored('P1', 0.99), scored('P2', 0.9)], manual, thresholds);
    expect(results.map((r) => [r.patientId, r.decision, r.method, r.manual, r.confidence])).toEqual([
      ['P2', 'link', 'phone', false, 0.9],
      ['P9', 'link', 'manual', true, 1],
    ]);
  });

  it('ranks the review queue by revenue at stake, then by how undecided the model is', () => {
    const pair = (patientId: string, confidence: number, decision: PairResult['decision'] = 'review'): PairResult => ({
      leadId: `L-${patientId}`,
      patientId,
      confidence,
      decision,
      method: 'phone',
      manual: false,
      evidence: 0,
    });
    const revenue = new Map([
      ['rich', 250_000],
      ['poor', 5_000],
      ['tie-a', 10_000],
      ['tie-b', 10_000],
    ]);
    const queue = rankReviewQueue(
      [pair('poor', 0.5), pair('rich', 0.2), pair('tie-a', 0.3), pair('tie-b', 0.48), pair('linked', 0.9, 'link')],
      (id) => revenue.get(id) ?? 0,
    );
    expect(queue.map((p) => p.patientId)).toEqual(['rich', 'tie-b', 'tie-a', 'poor']);
  });

  it.each([
    ['phone', { phone: 'shared', email: 'exact', given_name: 'exact' }],
    ['email', { phone: 'disagree', email: 'typo', given_name: 'exact', birthdate: 'exact' }],
    ['name_date', { phone: 'missing', email: 'disagree', given_name: 'disagree', surname: 'exact_rare', timing: 'adult_same' }],
    ['name_date', { phone: 'disagree', email: 'missing', given_name: 'missing', surname: 'missing', birthdate: 'near' }],
    ['household', { phone: 'disagree', email: 'missing', given_name: 'disagree', surname: 'disagree', birthdate: 'missing', household: 'coregistered' }],
  ] as const)('names the strongest evidence in order phone → email → name and date → household: %s', (method, outcomes) => {
    const levels = COMPARISONS.map((spec) => {
      const wanted = (outcomes as Record<string, string>)[spec.name] ?? (spec.levels.some((l) => l.name === 'missing') ? 'missing' : spec.levels[0]!.name);
      const index = spec.levels.findIndex((l) => l.name === wanted);
      if (index < 0) throw new Error(`${spec.name} has no level ${wanted}`);
      return index;
    });
    const [result] = decideLead('L', [{ patientId: 'P', confidence: 0.9, evidence: packVector(levels, COMPARISONS.length) }], new Map(), thresholds);
    expect(result?.method).toBe(method);
  });
});
