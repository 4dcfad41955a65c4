import type { CompiledPaths } from './markov-chain.ts';
import { countTransitions, removalEffects } from './markov-chain.ts';
import { seededRandom } from './seeded-random.ts';

export interface BootstrapRange {
  /** Per channel (chain order): the low and high percentiles of the resampled credit shares. */
  low: Float64Array;
  high: Float64Array;
  resamples: number;
  /** Resamples with at least one conversion; a resample without any says nothing about shares and is skipped. */
  usedResamples: number;
}

/**
 * The range of each channel's Markov share under resampling journeys with replacement (the nonparametric
 * bootstrap): each resample draws as many journeys as were observed, refits the chain exactly, and records the
 * shares. Draws use Walker's alias table over journey types (O(1) per journey) and a seeded generator, so the range
 * is reproducible. Percentiles interpolate linearly between order statistics (R's type 7).
 */
export function bootstrapShareRange(
  compiled: CompiledPaths,
  options: { resamples: number; seed: number; lowPercentile: number; highPercentile: number },
): BootstrapRange {
  const k = compiled.channels.length;
  const types = compiled.journeyTypes;
  const journeys = types.reduce((sum, type) => sum + type.journeys, 0);
  const low = new Float64Array(k);
  const high = new Float64Array(k);
  if (options.resamples === 0 || journeys === 0 || k === 0) return { low, high, resamples: options.resamples, usedResamples: 0 };

  const table = aliasTable(types.map((type) => type.journeys));
  const random = seededRandom(options.seed);
  const sharesByChannel = Array.from({ length: k }, () => new Float64Array(options.resamples));
  const drawn = new Float64Array(types.length);
  let used = 0;
  for (let resample = 0; resample < options.resamples; resample += 1) {
    drawn.fill(0);
    for (let j = 0; j < journeys; j += 1) {
      // One draw serves twice: its integer part picks the alias column, its fraction the coin (resolution
      // columns/2³², far below the noise of any bootstrap).
      const scaled = random() * types.length;
      const column = Math.floor(scaled);
      const type = scaled - column < (table.keep[column] as number) ? column : (table.alias[column] as number);
      drawn[type] = (drawn[type] as number) + 1;
    }
    const { conversionProbability, shares } = removalEffects(countTransitions(compiled, drawn));
    if (!(conversionProbability > 0)) continue;
    for (let c = 0; c < k; c += 1) (sharesByChannel[c] as Float64Array)[used] = shares[c] as number;
    used += 1;
  }
  for (let c = 0; c < k; c += 1) {
    const sorted = (sharesByChannel[c] as Float64Array).subarray(0, used).sort();
    low[c] = percentile(sorted, options.lowPercentile);
    high[c] = percentile(sorted, options.highPercentile);
  }
  return { low, high, resamples: options.resamples, usedResamples: used };
}

/** Type-7 percentile of sorted values (p in 0…100); NaN when there are none. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = ((n - 1) * p) / 100;
  const below = Math.floor(h);
  const above = Math.min(n - 1, below + 1);
  const lower = sorted[below] as number;
  return lower + (h - below) * ((sorted[above] as number) - lower);
}

/** Vose's alias method: column i is kept with probability keep[i], else it stands for alias[i]. */
function aliasTable(weights: readonly number[]): { keep: Float64Array; alias: Int32Array } {
  const n = weights.length;
  const total = weights.reduce((sum, w) => sum + w, 0);
  const scaled = Float64Array.from(weights, (w) => (w * n) / total);
  const keep = new Float64Array(n).fill(1);
  const alias = Int32Array.from({ length: n }, (_, i) => i);
  const small: number[] = [];
  const large: number[] = [];
  scaled.forEach((value, i) => (value < 1 ? small : large).push(i));
  while (small.length > 0 && large.length > 0) {
    const less = small.pop() as number;
    const more = large.pop() as number;
    keep[less] = scaled[less] as number;
    alias[less] = more;
    scaled[more] = (scaled[more] as number) + (scaled[less] as number) - 1;
    (scaled[more] < 1 ? small : large).push(more);
  }
  // Whatever is left holds probability 1 up to rounding.
  return { keep, alias };
}
