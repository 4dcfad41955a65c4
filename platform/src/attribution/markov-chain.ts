import type { ChannelId } from '../channels/index.ts';
import { solveLinearSystem } from './absorbing-chain.ts';
import { inTaxonomyOrder, type ChannelPathCount } from './channel-paths.ts';

/**
 * A first-order Markov chain over channels. States: 0 = start, 1…k = the channels (taxonomy order), then two
 * absorbing states, conversion (k+1) and null (k+2). `counts` holds transition counts row-major, one row per
 * transient state (start and channels) and one column per state.
 */
export interface TransitionCounts {
  channels: readonly ChannelId[];
  counts: Float64Array;
}

/** Paths compiled once into the cells of the count matrix they add to, so refitting (bootstrap) is a weighted sum. */
export interface CompiledPaths {
  channels: readonly ChannelId[];
  /** One per (path, outcome) with journeys: the count-matrix cells of its transitions and how many journeys took it. */
  journeyTypes: { cells: Int32Array; journeys: number }[];
}

export const widthOf = (channelCount: number) => channelCount + 3;

export function compilePaths(paths: readonly ChannelPathCount[]): CompiledPaths {
  const channels = inTaxonomyOrder(paths.flatMap((path) => path.channels));
  const stateOf = new Map<ChannelId, number>(channels.map((channel, i) => [channel, i + 1]));
  const width = widthOf(channels.length);
  const conversion = channels.length + 1;
  const nullState = channels.length + 2;
  const journeyTypes: CompiledPaths['journeyTypes'] = [];
  for (const path of paths) {
    if (path.channels.length === 0) continue;
    const walk = (end: number): Int32Array => {
      const cells = new Int32Array(path.channels.length + 1);
      let from = 0;
      path.channels.forEach((channel, i) => {
        const to = stateOf.get(channel) as number;
        cells[i] = from * width + to;
        from = to;
      });
      cells[path.channels.length] = from * width + end;
      return cells;
    };
    if (path.conversions > 0) journeyTypes.push({ cells: walk(conversion), journeys: path.conversions });
    if (path.nonConversions > 0) journeyTypes.push({ cells: walk(nullState), journeys: path.nonConversions });
  }
  return { channels, journeyTypes };
}

/** Transition counts with each journey type taken `journeysPerType[i]` times (the observed counts by default). */
export function countTransitions(compiled: CompiledPaths, journeysPerType?: ArrayLike<number>): TransitionCounts {
  const width = widthOf(compiled.channels.length);
  const counts = new Float64Array((compiled.channels.length + 1) * width);
  compiled.journeyTypes.forEach((type, i) => {
    const times = journeysPerType ? (journeysPerType[i] as number) : type.journeys;
    if (times === 0) return;
    for (const cell of type.cells) counts[cell] = (counts[cell] as number) + times;
  });
  return { channels: compiled.channels, counts };
}

/**
 * The probability that a walk from start is absorbed in conversion, solved exactly: with Q the transitions among
 * transient states and r the one-step conversion probabilities, x = Q·x + r, i.e. (I − Q)·x = r, and P = x[start].
 * Removing a channel makes its state behave as null (x = 0 there): every transition into it now ends the journey.
 * A state nothing leaves (a channel absent from a bootstrap resample) is never reached and is pinned to 0.
 */
export function conversionProbability(chain: TransitionCounts, removedState = -1): number {
  const n = chain.channels.length + 1;
  const width = widthOf(chain.channels.length);
  const conversion = chain.channels.length + 1;
  const matrix = new Float64Array(n * n);
  const rightHandSide = new Float64Array(n);
  for (let row = 0; row < n; row += 1) {
    matrix[row * n + row] = 1;
    if (row === removedState) continue;
    let outgoing = 0;
    for (let col = 0; col < width; col += 1) outgoing += chain.counts[row * width + col] as number;
    if (outgoing === 0) continue;
    for (let col = 0; col < n; col += 1) {
      const count = chain.counts[row * width + col] as number;
      if (count !== 0) matrix[row * n + col] = (matrix[row * n + col] as number) - count / outgoing;
    }
    rightHandSide[row] = (chain.counts[row * width + conversion] as number) / outgoing;
  }
  return solveLinearSystem(matrix, rightHandSide, n)[0] as number;
}

export interface RemovalEffects {
  /** P(conversion) of the full chain. */
  conversionProbability: number;
  /** Per channel (chain order): 1 − P(conversion without it) / P(conversion); 0 when nothing converts. */
  effects: Float64Array;
  /** Effects normalised to add up to 1 (all 0 when nothing converts). */
  shares: Float64Array;
}

export function removalEffects(chain: TransitionCounts): RemovalEffects {
  const k = chain.channels.length;
  const full = k === 0 ? 0 : conversionProbability(chain);
  const effects = new Float64Array(k);
  const shares = new Float64Array(k);
  if (!(full > 0)) return { conversionProbability: full, effects, shares };
  let total = 0;
  for (let i = 0; i < k; i += 1) {
    const without = conversionProbability(chain, i + 1);
    // Clamp rounding noise: removing a state can never raise the conversion probability.
    const effect = Math.min(1, Math.max(0, 1 - without / full));
    effects[i] = effect;
    total += effect;
  }
  if (total > 0) for (let i = 0; i < k; i += 1) shares[i] = (effects[i] as number) / total;
  return { conversionProbability: full, effects, shares };
}
