import type { ChannelId } from '../channels/index.ts';
import { ChannelPathCounter, countOfConversions, countOfJourneys, type ChannelPathCount } from './channel-paths.ts';
import { bootstrapShareRange } from './markov-bootstrap.ts';
import { compilePaths, countTransitions, removalEffects } from './markov-chain.ts';

export interface MarkovChannelCredit {
  channel: ChannelId;
  /** 1 − P(conversion with the channel removed) / P(conversion). */
  removalEffect: number;
  /** The removal effect as a share of all channels' effects: the channel's part of every conversion. */
  share: number;
  /** Conversions of the fitted paths credited to the channel (share × conversions); they add up to the conversions. */
  credit: number;
  /** The bootstrap range of the share (5th–95th percentile by default); null when no resample was drawn. */
  shareRange: { low: number; high: number } | null;
}

/**
 * - `practice`: fitted on the practice's own paths (it has at least the minimum);
 * - `agency-pool`: the practice has too few paths, so the fit used the agency's pooled paths plus its own;
 * - `practice-below-minimum`: too few paths and no pool to borrow from: fitted on its own, read the range;
 * - `no-paths`: nothing to fit; every share is 0 and Markov credit falls back to linear per patient.
 */
export type MarkovBasis = 'practice' | 'agency-pool' | 'practice-below-minimum' | 'no-paths';

export interface MarkovFit {
  basis: MarkovBasis;
  /** One sentence for the UI: what the model was fitted on and why. */
  explanation: string;
  practiceJourneys: number;
  fittedJourneys: number;
  fittedConversions: number;
  /** P(conversion) of the fitted chain. */
  conversionProbability: number;
  channels: MarkovChannelCredit[];
  shares: ReadonlyMap<ChannelId, number>;
  bootstrap: { resamples: number; usedResamples: number; seed: number; lowPercentile: number; highPercentile: number };
}

/** A fit as stored (JSON): everything but the `shares` map, which is rebuilt from `channels`. */
export type StoredMarkovFit = Omit<MarkovFit, 'shares'>;

/** A stored fit, ready to credit patients with between refits. */
export function restoreMarkovFit(stored: StoredMarkovFit): MarkovFit {
  return { ...stored, shares: new Map(stored.channels.map((c) => [c.channel, c.share])) };
}

export interface MarkovFitOptions {
  /** Below this many journeys of its own, a practice borrows the agency's. */
  minPaths: number;
  resamples: number;
  seed: number;
  lowPercentile?: number;
  highPercentile?: number;
}

/**
 * Fits the data-driven model for one practice. The point estimate (removal effects and shares) is exact: one linear
 * solve per channel on the fitted chain. Only the confidence range is sampled, with a seeded generator.
 * `agencyPaths` should be the other practices' paths: the practice's own are always added here.
 */
export function fitPracticeMarkov(practicePaths: readonly ChannelPathCount[], agencyPaths: readonly ChannelPathCount[] | null, options: MarkovFitOptions): MarkovFit {
  const practiceJourneys = countOfJourneys(practicePaths);
  const poolJourneys = agencyPaths ? countOfJourneys(agencyPaths) : 0;
  let basis: MarkovBasis;
  let fitted: ChannelPathCount[];
  let explanation: string;
  if (practiceJourneys >= options.minPaths && practiceJourneys > 0) {
    basis = 'practice';
    fitted = [...practicePaths];
    explanation = `Fitted on this practice's ${practiceJourneys} journeys.`;
  } else if (agencyPaths && poolJourneys > 0) {
    basis = 'agency-pool';
    fitted = new ChannelPathCounter().addCounts(practicePaths).addCounts(agencyPaths).counts();
    explanation = `This practice has ${practiceJourneys} journeys, fewer than the ${options.minPaths} the model needs, so it was fitted on the agency's pooled ${practiceJourneys + poolJourneys} journeys (this practice's included).`;
  } else if (practiceJourneys > 0) {
    basis = 'practice-below-minimum';
    fitted = [...practicePaths];
    explanation = `Fitted on this practice's ${practiceJourneys} journeys, fewer than the ${options.minPaths} recommended and with no agency pool to borrow from: read the ranges, not the points.`;
  } else {
    basis = 'no-paths';
    fitted = [];
    explanation = 'No journeys to fit yet: Markov credit falls back to linear for each patient.';
  }
  return { ...fitMarkov(fitted, options), basis, explanation, practiceJourneys };
}

/** The exact Markov removal-effect fit of a set of paths, with its bootstrap range. */
export function fitMarkov(paths: readonly ChannelPathCount[], options: Omit<MarkovFitOptions, 'minPaths'>): Omit<MarkovFit, 'basis' | 'explanation' | 'practiceJourneys'> {
  const lowPercentile = options.lowPercentile ?? 5;
  const highPercentile = options.highPercentile ?? 95;
  const compiled = compilePaths(paths);
  const fit = removalEffects(countTransitions(compiled));
  const conversions = countOfConversions(paths);
  const range = bootstrapShareRange(compiled, { resamples: options.resamples, seed: options.seed, lowPercentile, highPercentile });
  const channels = compiled.channels.map((channel, i): MarkovChannelCredit => ({
    channel,
    removalEffect: fit.effects[i] as number,
    share: fit.shares[i] as number,
    credit: conversions * (fit.shares[i] as number),
    shareRange: range.usedResamples > 0 ? { low: range.low[i] as number, high: range.high[i] as number } : null,
  }));
  return {
    fittedJourneys: countOfJourneys(paths),
    fittedConversions: conversions,
    conversionProbability: fit.conversionProbability,
    channels,
    shares: new Map(channels.map((c) => [c.channel, c.share])),
    bootstrap: { resamples: range.resamples, usedResamples: range.usedResamples, seed: options.seed, lowPercentile, highPercentile },
  };
}
