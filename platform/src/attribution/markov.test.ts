import { describe, expect, it } from 'vitest';
import type { ChannelId } from '../channels/index.ts';
import { ChannelPathCounter, type ChannelPathCount } from './channel-paths.ts';
import { fitMarkov, fitPracticeMarkov } from './markov.ts';
import { compilePaths, conversionProbability, countTransitions, removalEffects } from './markov-chain.ts';

const A: ChannelId = 'paid-search';
const B: ChannelId = 'organic-search';
const C: ChannelId = 'google-business-profile';

const paths = (...entries: [ChannelId[], 'conversion' | 'non-conversion', number?][]): ChannelPathCount[] => {
  const counter = new ChannelPathCounter();
  for (const [channels, outcome, times] of entries) counter.add(channels, outcome, times ?? 1);
  return counter.counts();
};

const fit = (observed: ChannelPathCount[]) => fitMarkov(observed, { resamples: 0, seed: 1 });
const creditOf = (result: ReturnType<typeof fit>, channel: ChannelId) => result.channels.find((c) => c.channel === channel);

describe('the Markov removal effect, against chains solved by hand', () => {
  it('credits two channels 3/5 and 2/5 on A→conv, A→B→conv, B→null', () => {
    // start→A 2/3, start→B 1/3; A→conv 1/2, A→B 1/2; B→conv 1/2, B→null 1/2.
    // x_B = 1/2, x_A = 1/2 + 1/2·1/2 = 3/4, P = 2/3·3/4 + 1/3·1/2 = 2/3.
    // Without A: P = 1/3·1/2 = 1/6 → RE_A = 1 − (1/6)/(2/3) = 3/4. Without B: x_A = 1/2, P = 1/3 → RE_B = 1/2.
    const result = fit(paths([[A], 'conversion'], [[A, B], 'conversion'], [[B], 'non-conversion']));
    expect(result.conversionProbability).toBeCloseTo(2 / 3, 9);
    expect(creditOf(result, A)?.removalEffect).toBeCloseTo(3 / 4, 9);
    expect(creditOf(result, B)?.removalEffect).toBeCloseTo(1 / 2, 9);
    expect(creditOf(result, A)?.share).toBeCloseTo(3 / 5, 9);
    expect(creditOf(result, B)?.share).toBeCloseTo(2 / 5, 9);
    expect(creditOf(result, A)?.credit).toBeCloseTo(6 / 5, 9);
    expect(creditOf(result, B)?.credit).toBeCloseTo(4 / 5, 9);
  });

  it('solves a chain with a loop (A→B→A) exactly rather than by walking it', () => {
    // Paths A→B→A→conv, B→null, A→null. start→A 2/3, start→B 1/3; A→B 1/3, A→conv 1/3, A→null 1/3; B→A 1/2, B→null 1/2.
    // x_A = 1/3·x_B + 1/3, x_B = 1/2·x_A → x_A = 2/5, x_B = 1/5; P = 2/3·2/5 + 1/3·1/5 = 1/3.
    // Without A: B's only way on is A, so P = 0 → RE_A = 1. Without B: x_A = 1/3, P = 2/9 → RE_B = 1/3.
    const result = fit(paths([[A, B, A], 'conversion'], [[B], 'non-conversion'], [[A], 'non-conversion']));
    expect(result.conversionProbability).toBeCloseTo(1 / 3, 9);
    expect(creditOf(result, A)?.removalEffect).toBeCloseTo(1, 9);
    expect(creditOf(result, B)?.removalEffect).toBeCloseTo(1 / 3, 9);
    expect(creditOf(result, A)?.share).toBeCloseTo(3 / 4, 9);
    expect(creditOf(result, B)?.share).toBeCloseTo(1 / 4, 9);
    expect(creditOf(result, A)?.credit).toBeCloseTo(3 / 4, 9);
  });

  it('credits three channels 2/7, 1/7 and 4/7 when every converting path passes through C', () => {
    // Paths A→C→conv ×2, B→C→conv, B→null, C→null, A→null.
    // start→A 3/6, →B 2/6, →C 1/6; A→C 2/3, A→null 1/3; B→C 1/2, B→null 1/2; C→conv 3/4, C→null 1/4.
    // x_C = 3/4, x_A = 1/2, x_B = 3/8; P = 1/4 + 1/8 + 1/8 = 1/2.
    // Without A: P = 1/4 → RE 1/2. Without B: P = 3/8 → RE 1/4. Without C: P = 0 → RE 1. Sum 7/4.
    const result = fit(paths([[A, C], 'conversion', 2], [[B, C], 'conversion'], [[B], 'non-conversion'], [[C], 'non-conversion'], [[A], 'non-conversion']));
    expect(result.conversionProbability).toBeCloseTo(1 / 2, 9);
    expect(creditOf(result, A)?.removalEffect).toBeCloseTo(1 / 2, 9);
    expect(creditOf(result, B)?.removalEffect).toBeCloseTo(1 / 4, 9);
    expect(creditOf(result, C)?.removalEffect).toBeCloseTo(1, 9);
    expect(creditOf(result, A)?.credit).toBeCloseTo(6 / 7, 9);
    expect(creditOf(result, B)?.credit).toBeCloseTo(3 / 7, 9);
    expect(creditOf(result, C)?.credit).toBeCloseTo(12 / 7, 9);
  });

  it('credits channels with conversions that add up to the conversions observed', () => {
    const result = fit(paths([[A, C], 'conversion', 7], [[B, A], 'conversion', 3], [[C], 'conversion', 2], [[B], 'non-conversion', 9], [[A, B, C], 'non-conversion', 4]));
    const credited = result.channels.reduce((sum, c) => sum + c.credit, 0);
    expect(result.fittedConversions).toBe(12);
    expect(credited).toBeCloseTo(12, 9);
  });

  it('treats a repeated channel (A→A→B) like a single visit: a self-loop cannot change where the walk ends', () => {
    const repeated = fit(paths([[A, A, B], 'conversion'], [[B, B], 'non-conversion'], [[A], 'non-conversion']));
    const single = fit(paths([[A, B], 'conversion'], [[B], 'non-conversion'], [[A], 'non-conversion']));
    expect(repeated.channels).toEqual(single.channels);
  });

  it('gives the same fit whatever order the journeys arrive in', () => {
    const forward = paths([[A], 'conversion'], [[B, C], 'conversion'], [[C], 'non-conversion']);
    const counter = new ChannelPathCounter();
    for (const path of [...forward].reverse()) counter.addCounts([path]);
    expect(fit(counter.counts())).toEqual(fit(forward));
  });

  it('credits nothing when nothing converts', () => {
    const result = fit(paths([[A], 'non-conversion'], [[B], 'non-conversion']));
    expect(result.conversionProbability).toBe(0);
    expect(result.channels.every((c) => c.share === 0 && c.credit === 0)).toBe(true);
  });

  it('pins a channel state nothing leaves to zero instead of failing to solve', () => {
    const compiled = compilePaths(paths([[A, B], 'conversion'], [[B], 'non-conversion']));
    // A resample that drew only B→null: A, never reached, has no way out at all, and the solve must not fail.
    const onlyBToNull = countTransitions(compiled, compiled.journeyTypes.map((type) => (type.cells.length === 2 ? type.journeys : 0)));
    expect(conversionProbability(onlyBToNull)).toBe(0);
    const counts = countTransitions(compiled, compiled.journeyTypes.map((type) => (type.cells.length === 3 ? type.journeys : 0)));
    expect(conversionProbability(counts)).toBe(1);
    expect(removalEffects(counts).shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});

describe('pooling small practices with their agency', () => {
  const agency = paths([[A, C], 'conversion', 120], [[B], 'conversion', 60], [[A], 'non-conversion', 200], [[B, C], 'non-conversion', 100]);
  const small = paths([[C], 'conversion', 3], [[A], 'non-conversion', 2]);

  it('fits on the agency pool plus its own journeys when a practice has fewer than the minimum, and says so', () => {
    const result = fitPracticeMarkov(small, agency, { minPaths: 300, resamples: 0, seed: 1 });
    expect(result.basis).toBe('agency-pool');
    expect(result.practiceJourneys).toBe(5);
    expect(result.fittedJourneys).toBe(485);
    expect(result.explanation).toMatch(/fewer than the 300/);
  });

  it('fits on its own journeys once it has the minimum', () => {
    const result = fitPracticeMarkov(small, agency, { minPaths: 5, resamples: 0, seed: 1 });
    expect(result.basis).toBe('practice');
    expect(result.fittedJourneys).toBe(5);
  });

  it('fits on its own journeys and flags them when there is no pool', () => {
    expect(fitPracticeMarkov(small, null, { minPaths: 300, resamples: 0, seed: 1 }).basis).toBe('practice-below-minimum');
    expect(fitPracticeMarkov([], null, { minPaths: 300, resamples: 0, seed: 1 }).basis).toBe('no-paths');
  });
});

describe('the bootstrap confidence range', () => {
  const observed = paths(
    [[A, C], 'conversion', 40], [[B], 'conversion', 25], [[C], 'conversion', 10], [[A], 'non-conversion', 90], [[B, A], 'non-conversion', 30], [[C, B], 'conversion', 8],
  );

  it('is reproducible: the same journeys and seed give the same range', () => {
    const first = fitMarkov(observed, { resamples: 200, seed: 42 });
    const second = fitMarkov(observed, { resamples: 200, seed: 42 });
    expect(second.channels).toEqual(first.channels);
    expect(first.bootstrap).toMatchObject({ resamples: 200, usedResamples: 200, lowPercentile: 5, highPercentile: 95 });
  });

  it('moves with the seed but never moves the exact point estimate', () => {
    const seeded = fitMarkov(observed, { resamples: 200, seed: 42 });
    const reseeded = fitMarkov(observed, { resamples: 200, seed: 43 });
    const exact = fitMarkov(observed, { resamples: 0, seed: 0 });
    expect(reseeded.channels.map((c) => c.shareRange)).not.toEqual(seeded.channels.map((c) => c.shareRange));
    expect(seeded.channels.map((c) => c.share)).toEqual(exact.channels.map((c) => c.share));
    expect(exact.channels.every((c) => c.shareRange === null)).toBe(true);
  });

  it('brackets each channel share', () => {
    for (const channel of fitMarkov(observed, { resamples: 200, seed: 7 }).channels) {
      expect(channel.shareRange?.low).toBeLessThanOrEqual(channel.share);
      expect(channel.shareRange?.high).toBeGreaterThanOrEqual(channel.share);
      expect(channel.shareRange?.low).toBeLessThan(channel.shareRange?.high ?? 0);
    }
  });
});
